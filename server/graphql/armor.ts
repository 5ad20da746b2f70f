import type { DocumentNode, ValidationRule } from 'graphql';
import { maxDepthPlugin, maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxAliasesPlugin, maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { MaxTokensParserWLexer, maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
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

export function armorPlugins(bounds: DocumentBounds): Plugin[] {
  return [maxDepthPlugin({ n: bounds.maxDepth, ignoreIntrospection: false }), maxAliasesPlugin({ n: MAX_ALIASES }), maxTokensPlugin({ n: MAX_TOKENS })];
}

/** The validation rules the plugins above add. */
export function armorRules(bounds: DocumentBounds): ValidationRule[] {
  return [maxDepthRule({ n: bounds.maxDepth, ignoreIntrospection: false }), maxAliasesRule({ n: MAX_ALIASES })];
}

/** Parses as maxTokensPlugin does: throws a GraphQLError past the token bound or on a syntax error. */
export function parseBounded(query: string): DocumentNode {
  return new MaxTokensParserWLexer(query, { n: MAX_TOKENS }).parseDocument();
}
