import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_USERS } from '../../server/demo/seed';
import { dastFromText } from '../../shared/domain';
import { OsKeychainVault, tokenAccount } from '../../electron/core/vault/token-vault';
import { CoreHandle } from './core-handle';
import { violations } from './invariants';
import { ModelState, type RoleId } from './model';
import { see } from './observe';
import { ServerOracle } from './server-oracle';
import { World } from './world';

/** Sequences whose records are made in one go (and pulled by the template once). */
const BATCH = 25;

export class ModelViolation extends Error {
  constructor(problems: string[], log: string[]) {
    super(`${problems.join('\n')}\n-- commands run (this sequence):\n  ${log.join('\n  ')}`);
    this.name = 'ModelViolation';
  }
}

/** The system under test of one sequence: the world, one core on its own data dir, the model beside it. */
export class Sut {
  constructor(
    readonly world: World,
    readonly core: CoreHandle,
    readonly state: ModelState,
  ) {}

  get server(): ServerOracle {
    return new ServerOracle(this.world.server.db);
  }

  serverVersion(id: string): number {
    return this.server.record(id)?.version ?? 0;
  }

  async check(healed: boolean): Promise<void> {
    const seen = await see(
      this.core,
      this.state.records.map((r) => r.id),
    );
    const v = violations(this.state, this.server, seen, this.world.coreUserId, healed);
    if (v.length) throw new ModelViolation(healed ? ['after healing:', ...v] : v, this.state.log);
  }

  /** Network back, answers no longer lost, then sync until nothing moves (a few rounds at most), then judge. */
  async heal(): Promise<void> {
    const t0 = Date.now();
    this.state.log.push('-- heal: online, answers kept, sync');
    this.world.proxy.setOnline(true);
    this.world.proxy.losePushAnswers(false);
    for (let round = 0; round < 4; round++) {
      const r = await this.core.call('sync.run', {});
      const status = await this.core.call('session.status', {});
      if (r.offline) throw new ModelViolation([`the core says it is offline after healing: ${JSON.stringify(r)}`], this.state.log);
      if ((status.environments['main']?.pending ?? 0) === 0) break;
    }
    const t1 = Date.now();
    await this.check(true);
    this.state.log.push(`-- healed in ${t1 - t0} ms, judged in ${Date.now() - t1} ms`);
  }
}

/**
 * One server and proxy for many sequences; each sequence gets a fresh core (a copy of a
 * signed-in template data dir: no sign-in per sequence) and fresh records, so sequences are
 * independent (as shrinking needs) and a sequence costs well under a second to set up.
 */
export class Harness {
  private run = 0;
  private role: RoleId = 'editor';
  private readonly ready: [string, string][] = [];

  private constructor(
    readonly world: World,
    private readonly template: string,
    private readonly token: { account: string; secret: string },
  ) {}

  static async start(): Promise<Harness> {
    const world = await World.start();
    const core = await CoreHandle.signIn(world.url, DEMO_USERS.editor);
    await core.close();
    const account = tokenAccount(new URL(world.url).origin, world.coreUserId);
    const secret = await new OsKeychainVault().get(account);
    if (!secret) throw new Error('the template sign-in left no token in the keychain');
    return new Harness(world, core.dataDir, { account, secret });
  }

  /** A fresh sequence: role back to Editor, an article and an author of its own, a fresh core that already holds them. */
  async sequence(): Promise<Sut> {
    const run = ++this.run;
    const w = this.world;
    w.proxy.setOnline(true);
    w.proxy.losePushAnswers(false);
    w.proxy.losePushRequests(false);
    if (this.role !== 'editor') await w.admin.ok('mutation($u: ID!) { changeCollaboratorRole(userId: $u, role: "editor") }', { u: w.coreUserId });
    this.role = 'editor';
    // Records are made ahead, a batch at a time, and the template pulls them once: no sync per sequence.
    if (this.ready.length === 0) await this.prepare(run);
    const [art, aut] = this.ready.shift()!;
    const state = new ModelState(run);
    state.records.push({ id: art, model: 'article', marker: null, deleted: false }, { id: aut, model: 'author', marker: null, deleted: false });
    const core = await this.cloneTemplate();
    state.log.push(`-- sequence ${run}: records ${art}, ${aut}; core ${core.dataDir}`);
    return new Sut(w, core, state);
  }

  /** Where a sequence left the role (the next one puts it back to Editor only when needed). */
  endSequence(sut: Sut): void {
    this.role = sut.state.role;
  }

  private async prepare(first: number): Promise<void> {
    const create = 'mutation($id: ID!, $m: ID!, $v: JSON!, $c: ID!) { createRecord(environment: "main", model: $m, id: $id, values: $v, clientMutationId: $c) { id } }';
    for (let run = first; run < first + BATCH; run++) {
      const [art, aut] = [`q${run}-art`, `q${run}-aut`];
      const v = (k: string) => `r-${run}-${k}`;
      await this.world.admin.ok(create, { id: art, m: 'article', v: { title: { en: v('t'), fr: v('tf') }, body: { en: dastFromText(v('b')) }, slug: v('s') }, c: `${art}-c` });
      await this.world.admin.ok(create, { id: aut, m: 'author', v: { name: v('n'), bio: { en: v('be') } }, c: `${aut}-c` });
      this.ready.push([art, aut]);
    }
    await this.refreshTemplate();
  }

  private async refreshTemplate(): Promise<void> {
    await new OsKeychainVault().set(this.token.account, this.token.secret);
    const core = await CoreHandle.open(this.template);
    await core.call('sync.run', {});
    await core.close();
  }

  /** A copy of the template's data dir; paths inside its JSON files point into the copy. */
  private async cloneTemplate(): Promise<CoreHandle> {
    // A sequence may have been signed out by the server: the shared token goes back in the keychain.
    await new OsKeychainVault().set(this.token.account, this.token.secret);
    const dir = mkdtempSync(join(tmpdir(), 'inkstone-model-core-'));
    cpSync(this.template, dir, { recursive: true });
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      const p = join(dir, f);
      writeFileSync(p, readFileSync(p, 'utf8').split(this.template).join(dir), { mode: 0o600 });
    }
    return CoreHandle.open(dir);
  }

  async stop(): Promise<void> {
    rmSync(this.template, { recursive: true, force: true });
    await this.world.stop();
  }
}
