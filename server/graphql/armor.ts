import { GraphQLError, type DocumentNode, type ValidationRule } from 'graphql';
import { maxDepthPlugin, maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesPlugin, maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import type { Plugin } from 'graphql-yoga';

/**
 * The bounds every GraphQL document meets before it runs (DESIGN §6), in one place for both of
 * the server's ways to answer: yoga's plugins and the direct path (direct.ts) are built from the
 * same options and the same graphql-armor code.
 */
export interface DocumentBounds {
  maxDepth: number;
}
const MAX_ALIASES = 20;
const MAX_TOKENS = 5_000;
/**
 * Brackets of any kind open at once. graphql-js parses recursively: a list literal nested ~2,000
 * deep, well within the token bound, overflowed the stack (a 500, "Unexpected error"). Selections
 * are held to maxDepth by validation and JSON values to 100 levels; nothing real comes near this.
 */
const MAX_NESTING = 128;

export function armorPlugins(bounds: DocumentBounds): Plugin[] {
  const boundedParse: Plugin = {
    onParse({ setParseFn }) {
      setParseFn((source) => parseBounded(typeof source === 'string' ? source : source.body));
    },
  };
  return [maxDepthPlugin({ n: bounds.maxDepth, ignoreIntrospection: false }), maxAliasesPlugin({ n: MAX_ALIASES }), boundedParse];
}

/** The validation rules the plugins above add. */
export function armorRules(bounds: DocumentBounds): ValidationRule[] {
  return [maxDepthRule({ n: bounds.maxDepth, ignoreIntrospection: false }), maxAliasesRule({ n: MAX_ALIASES })];
}

/** The deepest bracket nesting of a document, strings and comments skipped; stops counting past `limit`. */
function nesting(query: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < query.length && deepest <= limit; i++) {
    const c = query[i];
    if (c === '#') {
      while (i < query.length && query[i] !== '\n' && query[i] !== '\r') i++;
    } else if (c === '"') {
      if (query.startsWith('"""', i)) {
        i += 3;
        while (i < query.length && !query.startsWith('"""', i)) i += query.startsWith('\\"""', i) ? 4 : 1;
        i += 2;
      } else {
        i++;
        while (i < query.length && query[i] !== '"' && query[i] !== '\n') i += query[i] === '\\' ? 2 : 1;
      }
    } else if (c === '{' || c === '[' || c === '(') {
      deepest = Math.max(deepest, ++depth);
    } else if (c === '}' || c === ']' || c === ')') {
      depth = Math.max(0, depth - 1);
    }
  }
  return deepest;
}

/**
 * Parses as graphql-armor's token plugin does (its parser), after a bound on nesting: throws a
 * GraphQLError past either bound or on a syntax error. Both of the server's paths parse with it.
 */
export function parseBounded(query: string): DocumentNode {
  const deepest = nesting(query, MAX_NESTING);
  if (deepest > MAX_NESTING) throw new GraphQLError(`Syntax Error: Nesting limit of ${MAX_NESTING} exceeded.`, { extensions: { code: 'VALIDATION_FAILED' } });
  return new MaxTokensParserWLexer(query, { n: MAX_TOKENS }).parseDocument();
}
