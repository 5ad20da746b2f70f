import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * A real proxy on 127.0.0.1 between the core and a test server, for network faults. It
 * speaks TLS with the server's own certificate (so the core's pinned fingerprint holds) and
 * opens its own TLS connection to the server, so it can see which request a connection
 * carries: it can refuse connections (offline), or let a matching request reach the server
 * and cut the connection at the first byte of its answer (the server did the work; the
 * client never hears of it).
 */
export interface FaultProxy {
  url: string;
  port: number;
  mode: 'pass' | 'offline';
  /** While set, the answer to every request whose bytes contain this text is cut (retries included). */
  cutAnswerTo: string | null;
  /** Answers cut so far. */
  cuts: number;
  /** While `times` > 0, the answer to a request containing `match` is cut after `bytes` bytes of it (a connection dropped mid-stream). */
  cutMidAnswer: { match: string; bytes: number; times: number } | null;
  /** The request line of every request seen, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startProxy(server: { port: number; caPath: string; ca: string }): Promise<FaultProxy> {
  const tlsDir = join(server.caPath, '..');
  const sockets = new Set<net.Socket>();
  const proxy: FaultProxy = { url: '', port: 0, mode: 'pass', cutAnswerTo: null, cuts: 0, cutMidAnswer: null, requests: [], close: async () => {} };
  const front = tls.createServer({ cert: readFileSync(join(tlsDir, 'server.pem')), key: readFileSync(join(tlsDir, 'server.key')), minVersion: 'TLSv1.2' }, (client) => {
    const upstream = tls.connect({ host: '127.0.0.1', port: server.port, ca: server.ca, servername: 'localhost', checkServerIdentity: () => undefined });
    sockets.add(client).add(upstream);
    let cutNext = false;
    let cutAfter = -1;
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (d: Buffer) => {
      if (proxy.cutAnswerTo && d.includes(proxy.cutAnswerTo)) cutNext = true;
      const mid = proxy.cutMidAnswer;
      if (mid && mid.times > 0 && d.includes(mid.match)) {
        mid.times--;
        cutAfter = mid.bytes;
      }
      const line = /^[A-Z]+ \S+ HTTP\/1\.1/.exec(d.toString('latin1', 0, 600));
      if (line) proxy.requests.push(line[0]);
      upstream.write(d);
    });
    upstream.on('data', (d: Buffer) => {
      if (cutNext) {
        proxy.cuts++;
        kill();
        return;
      }
      if (cutAfter === -2) return;
      if (cutAfter >= 0) {
        if (d.length >= cutAfter) {
          client.write(d.subarray(0, cutAfter), () => kill());
          cutAfter = -2;
          proxy.cuts++;
          return;
        }
        cutAfter -= d.length;
      }
      client.write(d);
    });
    client.on('error', kill).on('close', () => (upstream.destroy(), sockets.delete(client)));
    upstream.on('error', kill).on('close', () => (client.destroy(), sockets.delete(upstream)));
  });
  // Offline refuses at the TCP level, before any TLS.
  const tcp = net.createServer((socket) => {
    if (proxy.mode === 'offline') {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    front.emit('connection', socket);
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
  proxy.port = (tcp.address() as AddressInfo).port;
  proxy.url = `https://127.0.0.1:${proxy.port}/graphql`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      tcp.close(() => resolve());
    });
  return proxy;
}
