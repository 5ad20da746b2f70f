import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/http/server';
import { DEMO_USERS } from '../../server/demo/seed';
import { TestClient } from '../support/server';
import { FaultProxy, type ProxyTarget } from '../support/fault-proxy';

/** Room enough for a few thousand sequences a minute from one address; the model is not a load test. */
const LIMITS = { requestsPerMinutePerIp: 10_000_000, requestsPerMinutePerPrincipal: 10_000_000, loginsPerMinutePerIp: 100_000 };

/**
 * What the core talks to: Inkstone Server (demo project, real TLS, a data dir that survives
 * restarts on the same port) behind a fault proxy, and an Admin on its own connection as the
 * second principal (remote edits, role changes). The Admin talks to the server directly, so it
 * works while the core is cut off.
 */
export class World {
  admin!: TestClient;
  /** The signed-in user of the core (its role is what the role-change command changes). */
  coreUserId = '';
  /** Faults injected so far (for the run's figures). */
  readonly faults = { serverRestarts: 0, coreRestarts: 0, killsMidSync: 0, answersDropped: 0, requestsCut: 0 };

  private constructor(
    readonly dir: string,
    public server: RunningServer,
    readonly proxy: FaultProxy,
  ) {}

  static async start(): Promise<World> {
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-model-'));
    const server = await startServer({ dataDir: dir, host: '127.0.0.1', port: 0, demo: true, limits: LIMITS });
    const proxy = await FaultProxy.start(World.target(dir, server));
    const w = new World(dir, server, proxy);
    w.admin = await new TestClient(server).login(DEMO_USERS.admin);
    w.coreUserId = (server.db.prepare('SELECT id FROM users WHERE email = ?').get(DEMO_USERS.editor) as { id: string }).id;
    return w;
  }

  private static target(dir: string, server: RunningServer): ProxyTarget {
    const tls = (f: string) => readFileSync(join(dir, 'tls', f), 'utf8');
    return { port: server.port, cert: tls('server.pem'), key: tls('server.key'), ca: server.ca };
  }

  /** The URL the core signs in to: the proxy's. */
  get url(): string {
    return this.proxy.url;
  }

  /** Stops the server and starts it again on the same data dir and port; open connections die. */
  async restartServer(): Promise<void> {
    const port = this.server.port;
    const token = this.admin.token;
    await this.server.close();
    this.proxy.cutAll();
    this.server = await startServer({ dataDir: this.dir, host: '127.0.0.1', port, demo: true, limits: LIMITS });
    this.proxy.retarget(World.target(this.dir, this.server));
    await this.admin.agent.close();
    this.admin = new TestClient(this.server, token);
    this.faults.serverRestarts++;
  }

  async stop(): Promise<void> {
    await this.proxy.close();
    await this.admin.agent.close();
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
