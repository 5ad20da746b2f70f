import type { IncomingHttpHeaders } from 'node:http';
import { execute, getOperationAST, specifiedRules, validate, type DocumentNode, type ExecutionResult, type GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import { processRegularResult, type YogaServerInstance } from 'graphql-yoga';
import type { RequestContext } from '../context';
import type { GqlContext } from './resolvers';
import { armorRules, parseBounded, type DocumentBounds } from './armor';
import { noAnonymousIntrospection } from './introspection';
import { maskError, UNEXPECTED_ERROR_MESSAGE } from './mask';
import { withCode } from './code-every-error';

/** The answer to write: status, content type and body as yoga would have sent them. */
export interface DirectAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A document seen before: parsed once, validated once for each kind of caller. */
interface Prepared {
  document: DocumentNode;
  /** Valid for a signed-in caller / for an anonymous one (introspection differs); unknown until asked. */
  valid: [signedIn: boolean | undefined, anonymous: boolean | undefined];
}

// Our clients send a handful of documents, each under 1 KB; the cache holds those and any
// caller's few, not whatever an attacker cares to send: bounded in source characters (a parsed
// and validated document packed with tokens measured ~240 bytes a character, so ≤ ~16 MB),
// bigger documents go through yoga.
const MAX_QUERY_CHARS = 8_192;
const MAX_CACHED_CHARS = 64 * 1024;
const REGULAR_MEDIA_TYPES = ['application/graphql-response+json', 'application/json'] as const;
const PARAM_NAMES = new Set(['query', 'variables', 'operationName', 'extensions']);

type Params = { query: string; variables?: Record<string, unknown> | null; operationName?: string | null };

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The body's GraphQL parameters when they are plainly well-formed, else null (yoga words the complaint). */
function paramsOf(body: Buffer): Params | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (!isPlainObject(parsed)) return null;
  for (const k of Object.keys(parsed)) if (!PARAM_NAMES.has(k)) return null;
  const { query, variables, operationName, extensions } = parsed;
  if (typeof query !== 'string' || query.length === 0 || query.length > MAX_QUERY_CHARS) return null;
  const given = (v: unknown) => v !== undefined && v !== null;
  if (given(variables) && !isPlainObject(variables)) return null;
  if (given(operationName) && typeof operationName !== 'string') return null;
  if (given(extensions) && !isPlainObject(extensions)) return null;
  return { query, variables: variables as Params['variables'], operationName: operationName as Params['operationName'] };
}

/** The media type yoga's result processors settle on for a single result (the last match wins there too). */
function regularMediaType(accept: string | undefined): string | null {
  let chosen: string | null = null;
  const asked = (accept || '*/*').replace(/\s/g, '').toLowerCase().split(',').reverse();
  for (const entry of asked) {
    const [mediaType, ...params] = entry.split(';');
    if (!mediaType || (params.find((p) => p.includes('charset=')) ?? 'charset=utf-8') !== 'charset=utf-8') continue;
    const [askedPre, askedSuf] = mediaType.split('/');
    for (const type of REGULAR_MEDIA_TYPES) {
      const [pre, suf] = type.split('/');
      if ((askedPre === '*' || askedPre === pre) && (askedSuf === '*' || askedSuf === suf)) chosen = type;
    }
  }
  return chosen;
}

/**
 * POST /graphql answered by graphql-js directly: the same schema, validation rules, masking and
 * result processing as yoga, without yoga's per-request machinery (fetch Request and Response
 * objects, body streams, the plugin orchestration), which cost more than the resolvers of a sync
 * request (50-client bench: ~0.2 ms a request, 1.1 → 0.6 ms for the sync mix).
 *
 * Only for requests yoga would accept and answer with a plain JSON result (handleGraphql lets
 * only application/json bodies in); `answer` gives null for anything else (malformed or unusual
 * parameters, a document that does not parse or validate, a subscription, variables that do not
 * coerce: nothing has run then), and yoga answers it as before. server.direct-graphql.test.ts
 * holds the two to the same answers.
 */
export function createDirectGraphql(yoga: YogaServerInstance<GqlContext, object>, schema: GraphQLSchema, bounds: DocumentBounds) {
  const rules: readonly ValidationRule[] = [...specifiedRules, ...armorRules(bounds)];
  const cache = new Map<string, Prepared | null>();
  let cachedChars = 0;

  function prepared(query: string, signedIn: boolean): DocumentNode | null {
    let entry = cache.get(query);
    if (entry === undefined) {
      try {
        entry = { document: parseBounded(query), valid: [undefined, undefined] };
      } catch {
        entry = null;
      }
      for (const old of cache.keys()) {
        if (cachedChars + query.length <= MAX_CACHED_CHARS) break;
        cache.delete(old);
        cachedChars -= old.length;
      }
      cache.set(query, entry);
      cachedChars += query.length;
    }
    if (!entry) return null;
    const slot = signedIn ? 0 : 1;
    entry.valid[slot] ??= isValid(entry.document, signedIn);
    return entry.valid[slot] ? entry.document : null;
  }

  function isValid(document: DocumentNode, signedIn: boolean): boolean {
    try {
      return validate(schema, document, signedIn ? rules : [...rules, noAnonymousIntrospection]).length === 0;
    } catch {
      // graphql-armor's rules throw past their bound.
      return false;
    }
  }

  return {
    async answer(body: Buffer, headers: IncomingHttpHeaders, rc: RequestContext): Promise<DirectAnswer | null> {
      const mediaType = regularMediaType(headers.accept);
      if (!mediaType) return null;
      const params = paramsOf(body);
      if (!params) return null;
      const document = prepared(params.query, rc.viewer !== null);
      if (!document) return null;
      const operation = getOperationAST(document, params.operationName);
      if (!operation || operation.operation === 'subscription') return null;
      // yoga's executor (@graphql-tools/executor) coerces variables into a plain object, where a
      // `$__proto__` is lost, its value and its default alike; graphql-js keeps it. Left to yoga.
      if (operation.variableDefinitions?.some((d) => d.variable.name.value === '__proto__')) return null;
      const result: ExecutionResult = await execute({
        schema,
        document,
        contextValue: { rc } satisfies GqlContext,
        variableValues: params.variables,
        operationName: params.operationName,
      });
      // A request error (a variable that does not coerce): no resolver ran; yoga says it its way.
      if (!('data' in result)) return null;
      // Without errors and extensions, processRegularResult's answer is this (status 200, the
      // result as JSON, its length declared as that Response declares it: not sent chunked);
      // building its Response costs more than the stringify.
      if (!result.errors && !result.extensions) {
        const json = JSON.stringify(result);
        return { status: 200, headers: { 'content-type': `${mediaType}; charset=utf-8`, 'content-length': String(Buffer.byteLength(json)) }, body: json };
      }
      const errors = result.errors?.map((e) => withCode(maskError(e, UNEXPECTED_ERROR_MESSAGE) as GraphQLError));
      const response = processRegularResult(errors ? { ...result, errors } : result, yoga.fetchAPI, mediaType);
      const out: Record<string, string> = {};
      response.headers.forEach((v, k) => (out[k] = v));
      return { status: response.status, headers: out, body: await response.text() };
    },
  };
}
