import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { CONTENT_SECURITY_POLICY_HOST } from './csp';
import { MAX_UPLOAD_BYTES } from '../../shared/ipc/contract';
import { dispatch } from '../core/bridge/dispatch';
import { resolveInside } from '../core/security/paths';
import type { InkstoneCore } from '../core/core';

export interface HostOptions {
  core: InkstoneCore;
  rendererDir: string;
  port?: number;
  /** Shown to the renderer as the default server address. */
  demoServerUrl?: string | null;
}

export interface RunningHost {
  /** Open this in a browser: it carries the per-launch secret in the fragment, which is never sent over HTTP. */
  url: string;
  origin: string;
  secret: string;
  /** Sends an event to every signed-in page. */
  emit(event: string, payload: unknown): void;
  close(): Promise<void>;
}

/** The socket's own envelope; what a request carries is checked by dispatch against the contract. */
const MAX_MESSAGE_BYTES = Math.ceil((MAX_UPLOAD_BYTES * 4) / 3) + 1024 * 1024;
/** Requests one page may have unanswered at once; more are refused (back-pressure), each with an answer. */
const MAX_IN_FLIGHT = 32;

const helloMessage = z.object({ type: z.literal('hello'), secret: z.string() });
const requestMessage = z.object({ id: z.number(), channel: z.unknown(), payload: z.unknown() });

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.woff2': 'font/woff2' };

/**
 * Runs the core in plain Node and serves the built renderer plus the same bridge as
 * Electron's IPC, over a WebSocket on 127.0.0.1. A page must come from this origin and
 * present the per-launch secret before any command is answered.
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const secret = randomBytes(32).toString('hex');
  const server = http.createServer((req, res) => {
    const headers = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store', 'x-frame-options': 'DENY' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    const file = resolveInside(opts.rendererDir, req.url ?? '/');
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CONTENT_SECURITY_POLICY_HOST(origin) });
    createReadStream(file).pipe(res);
  });
  // Large enough that even a whole file sent as one message (50 MiB as base64, in JSON) is
  // read and answered with a clear refusal instead of closing the socket; files travel in
  // chunks of UPLOAD_CHUNK_BYTES.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const authed = new Set<WebSocket>();
  let origin = '';

  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/bridge' || req.headers.origin !== origin) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws) => {
    // A socket error (an oversized frame, a broken client) closes that socket only: the host lives on.
    ws.on('error', () => ws.terminate());
    let inFlight = 0;
    // The first message must be the secret, within a few seconds.
    const timer = setTimeout(() => ws.close(4401, 'secret required'), 5_000);
    ws.on('message', (raw) => {
      let msg: unknown;
      try {
        msg = JSON.parse(String(raw));
      } catch {
        ws.close(4400, 'not JSON');
        return;
      }
      if (!authed.has(ws)) {
        const hello = helloMessage.safeParse(msg);
        const given = hello.success ? Buffer.from(hello.data.secret) : Buffer.alloc(0);
        if (given.length !== secret.length || !timingSafeEqual(given, Buffer.from(secret))) {
          ws.close(4401, 'wrong secret');
          return;
        }
        clearTimeout(timer);
        authed.add(ws);
        ws.send(JSON.stringify({ type: 'welcome', demoServerUrl: opts.demoServerUrl ?? null }));
        return;
      }
      // Anything but a request with a numeric id has nobody to answer to: ignored.
      const req = requestMessage.safeParse(msg);
      if (!req.success) return;
      const { id, channel, payload } = req.data;
      const answer = (result: unknown) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'result', id, result }));
      };
      if (inFlight >= MAX_IN_FLIGHT) {
        answer({ ok: false, error: { code: 'INVALID_INPUT', message: `more than ${MAX_IN_FLIGHT} requests in flight; wait for answers before sending more` } });
        return;
      }
      inFlight++;
      void dispatch(opts.core, channel, payload)
        .then(answer)
        .finally(() => inFlight--);
    });
    ws.on('close', () => {
      clearTimeout(timer);
      authed.delete(ws);
    });
  });

  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/#secret=${secret}`,
    origin,
    secret,
    emit: (event, payload) => {
      for (const ws of authed) ws.send(JSON.stringify({ type: 'event', event, payload }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
