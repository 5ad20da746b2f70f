import type { IncomingMessage, ServerResponse } from 'node:http';
import { GraphQLError } from 'graphql';
import { canonicalJson } from '../../shared/permissions';
import type { RequestContext } from '../context';
import type { Db } from '../store/db';
import { resolveBearer } from '../auth/viewer';
import { snapshotBatch, snapshotRange } from '../content/snapshot';

/** Rows read per step: ~0.5 MB of lines, and a turn of the event loop for other requests between steps. */
const BATCH = 500;

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, TWO_FACTOR_REQUIRED: 403, FORBIDDEN: 403, NOT_FOUND: 404, VALIDATION_FAILED: 400 };

/** Until the socket takes more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  if (res.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

const who = (rc: RequestContext): string => canonicalJson(rc.viewer?.principal ?? null);

/**
 * `GET /sync/snapshot?environment=E[&since=S&until=U]` with the bearer token: NDJSON, a head
 * line `{"until":"U"}`, one line per record (content/snapshot.ts), and a last line
 * `{"end":"U"}`. A stream without its end line was cut: the client resumes from the last
 * seq it applied. The principal is read again between batches, so a revoked token or a
 * changed role ends the stream at once (without its end line) as it would end GraphQL.
 */
export async function handleSnapshot(req: IncomingMessage, res: ServerResponse, rc: RequestContext, db: Db, secret: string | null, headers: Record<string, string>): Promise<void> {
  if (req.method !== 'GET') {
    res.writeHead(405, { ...headers, allow: 'GET', 'content-type': 'application/json; charset=utf-8' });
    return void res.end(JSON.stringify({ error: 'use GET' }));
  }
  let range: ReturnType<typeof snapshotRange>;
  try {
    range = snapshotRange(rc, new URL(req.url ?? '/', 'https://x').searchParams);
  } catch (e) {
    if (!(e instanceof GraphQLError)) throw e;
    const code = String(e.extensions['code']);
    res.writeHead(STATUS[code] ?? 400, { ...headers, 'content-type': 'application/json; charset=utf-8' });
    return void res.end(JSON.stringify({ errors: [{ message: e.message, extensions: e.extensions }] }));
  }
  const principal = who(rc);
  res.writeHead(200, { ...headers, 'content-type': 'application/x-ndjson; charset=utf-8' });
  res.write(`{"until":"${range.until}"}\n`);
  let after = range.since;
  for (;;) {
    if (res.destroyed) return;
    const batch = snapshotBatch(rc, range, after, BATCH);
    if (!batch) break;
    after = batch.last;
    const more = res.write(batch.text);
    if (!more) await drained(res);
    else await new Promise<void>((resolve) => setImmediate(resolve));
    // Revoked, signed out, role changed mid-stream: stop without the end line.
    const now = secret ? resolveBearer(db, secret) : null;
    // A project that starts requiring 2FA stops this session as it stops its next GraphQL request.
    if (!now || now.needsTwoFactor || canonicalJson(now.principal) !== principal) return void res.destroy();
  }
  res.end(`{"end":"${range.until}"}\n`);
}
