import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { ensureTls } from '../../server/tls/certificates';

// The GraphQL floor of the server bench: graphql-yoga served the way server/http/server.ts
// serves it (the body read first, yoga's own fetch classes, its body limit and multipart off),
// with a one-field schema and nothing else: no plugins, no auth, no database, over the same
// kind of TLS. What a request costs here is what the library and the transport cost before
// any Inkstone code runs; yoga's own node adapter cost more per request, so it is not the floor.
const dir = process.argv[2];
if (!dir) throw new Error('usage: graphql-floor-server.ts DATA_DIR');
const tls = await ensureTls(dir, '127.0.0.1');
const yoga = createYoga({
  schema: createSchema({ typeDefs: 'type Query { ok: Boolean! }', resolvers: { Query: { ok: () => true } } }),
  graphiql: false,
  landingPage: false,
  logging: false,
  maxRequestBodySize: false,
  multipart: false,
});
const server = https.createServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, (req, res) => {
  void (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = new yoga.fetchAPI.Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const response = await yoga.fetch(new yoga.fetchAPI.Request('https://127.0.0.1/graphql', { method: 'POST', headers, body: new Uint8Array(Buffer.concat(chunks)) }));
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => (out[k] = v));
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  })();
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, ca: tls.caPath })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
