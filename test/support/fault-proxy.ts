import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';

/**
 * A real TCP proxy between the desktop core and Inkstone Server, for network faults:
 * - offline: every open connection is cut and new ones are closed at once;
 * - lost answers: a push (a record mutation, an upload slot or an upload PUT) is forwarded
 *   whole to the server, which applies it, and the answer is dropped by cutting the
 *   connection as its first byte comes back;
 * - lost requests: a push is cut before its last bytes reach the server, which applies nothing
 *   (the client cannot tell this from a lost answer).
 *
 * To tell a push from a pull it has to see the requests, so it terminates TLS with the
 * server's own certificate and key (the core's pin on that certificate still holds) and
 * opens its own TLS connection to the server, verified against the server's CA.
 *
 * The server names itself in upload URLs (`putUrl`); the proxy listens on a port with as
 * many digits as the server's and rewrites that origin in answers, byte for byte, so the
 * core sees URLs on the origin it talks to (the core refuses any other).
 */
export interface ProxyTarget {
  port: number;
  cert: string;
  key: string;
  ca: string;
}

const PUSH = /\b(createRecord|updateRecord|publishRecord|unpublishRecord|deleteRecord|createUploadSlot)\s*\(|^PUT \/uploads\//m;

export class FaultProxy {
  /** Answers dropped after the server got the whole request. */
  dropped = 0;
  /** Push requests seen (forwarded), answered or not. */
  pushes = 0;
  /** Push requests cut before the server had them whole. */
  cutRequests = 0;
  private online = true;
  private losing = false;
  private losingRequests = false;
  private readonly open = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    private target: ProxyTarget,
  ) {}

  static async start(target: ProxyTarget): Promise<FaultProxy> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const server = net.createServer();
      const proxy = new FaultProxy(server, target);
      server.on('connection', (raw) => proxy.accept(raw));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      // Same number of digits as the server's port: the origin rewrite keeps every length.
      if (String(proxy.port).length === String(target.port).length) return proxy;
      await new Promise<void>((r) => server.close(() => r()));
    }
    throw new Error(`no free port with ${String(target.port).length} digits for the proxy`);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  get url(): string {
    return `https://127.0.0.1:${this.port}/graphql`;
  }

  /** The server behind moved (a restart on another port) or got a new certificate. */
  retarget(target: ProxyTarget): void {
    if (String(target.port).length !== String(this.port).length) throw new Error('the proxy and the server ports must have as many digits');
    this.target = target;
  }

  setOnline(online: boolean): void {
    this.online = online;
    if (!online) this.cutAll();
  }
  isOnline(): boolean {
    return this.online;
  }

  /** While on, the answer to every push is dropped after the server received it. */
  losePushAnswers(on: boolean): void {
    this.losing = on;
  }

  /** While on, every push is cut before the server has it whole: it never happened there. */
  losePushRequests(on: boolean): void {
    this.losingRequests = on;
  }

  cutAll(): void {
    for (const s of this.open) s.destroy();
    this.open.clear();
  }

  async close(): Promise<void> {
    this.cutAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  private accept(raw: net.Socket): void {
    if (!this.online) {
      raw.destroy();
      return;
    }
    const t = this.target;
    const down = new tls.TLSSocket(raw, { isServer: true, cert: t.cert, key: t.key, minVersion: 'TLSv1.2' });
    const up = tls.connect({ host: '127.0.0.1', port: t.port, ca: t.ca, minVersion: 'TLSv1.2' });
    const sockets = [raw, down, up];
    for (const s of sockets) this.open.add(s);
    const cut = () => {
      for (const s of sockets) {
        s.destroy();
        this.open.delete(s);
      }
    };
    for (const s of sockets) {
      s.on('error', cut);
      s.on('close', cut);
    }

    const from = `127.0.0.1:${t.port}`;
    const to = `127.0.0.1:${this.port}`;
    let request = '';
    let answering = true;
    let isPush = false;
    let held = Buffer.alloc(0);
    let flush: NodeJS.Immediate | null = null;

    down.on('data', (chunk: Buffer) => {
      if (answering) {
        // A new request on this keep-alive connection.
        answering = false;
        request = '';
        isPush = false;
      }
      request += chunk.toString('latin1');
      if (!isPush && PUSH.test(request)) {
        isPush = true;
        this.pushes++;
      }
      // The chunk that shows it is a push is not forwarded: what the server got is no whole request.
      if (isPush && this.losingRequests) {
        this.cutRequests++;
        cut();
        return;
      }
      up.write(chunk);
    });

    up.on('data', (chunk: Buffer) => {
      answering = true;
      if (isPush && this.losing) {
        this.dropped++;
        cut();
        return;
      }
      // Rewrite the server's origin into ours; hold the last bytes back in case it is split.
      const text = Buffer.concat([held, chunk]).toString('latin1').split(from).join(to);
      const keep = Math.min(from.length - 1, text.length);
      if (text.length > keep) down.write(Buffer.from(text.slice(0, text.length - keep), 'latin1'));
      held = Buffer.from(text.slice(text.length - keep), 'latin1');
      if (flush) clearImmediate(flush);
      flush = setImmediate(() => {
        flush = null;
        if (held.length && !down.destroyed) down.write(held);
        held = Buffer.alloc(0);
      });
    });
  }
}
