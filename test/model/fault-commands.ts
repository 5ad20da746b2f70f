import fc from 'fast-check';
import { killMidSync } from './kill';
import { CELLS, patchFor } from './model';
import { command, pick } from './command';
import type { World } from './world';

/** What happens to the network, the server and the core's process; and the sync that meets it. */
export const sync = fc.constant(null).map(() =>
  command('sync', async (m, s) => {
    const r = await s.core.call('sync.run', {});
    return JSON.stringify(r);
  }),
);

export const offline = fc.constant(null).map(() =>
  command('offline', async (m, s) => {
    s.world.proxy.setOnline(false);
    m.online = false;
  }),
);
export const online = fc.constant(null).map(() =>
  command('online', async (m, s) => {
    s.world.proxy.setOnline(true);
    m.online = true;
  }),
);

/** A sync while the proxy loses pushes one way: `lose` turns it on and off, `count` reads how many it lost. */
function lossySync(name: string, lose: (w: World, on: boolean) => void, count: (w: World) => number, fault: 'answersDropped' | 'requestsCut', said: string) {
  return fc.constant(null).map(() =>
    command(
      name,
      async (m, s) => {
        const before = count(s.world);
        lose(s.world, true);
        try {
          const r = await s.core.call('sync.run', {});
          s.world.faults[fault] += count(s.world) - before;
          return `${count(s.world) - before} ${said}; ${JSON.stringify(r)}`;
        } finally {
          lose(s.world, false);
        }
      },
      (m) => m.online,
    ),
  );
}

/** The server applies a push, and its answer is lost. */
export const loseAnswer = lossySync('loseAnswer', (w, on) => w.proxy.losePushAnswers(on), (w) => w.proxy.dropped, 'answersDropped', 'answer(s) dropped');

/** A push cut before the server had it whole: to the core, a lost answer; to the server, nothing happened. */
export const loseRequest = lossySync('loseRequest', (w, on) => w.proxy.losePushRequests(on), (w) => w.proxy.cutRequests, 'requestsCut', 'request(s) cut');

export const restartServer = fc.constant(null).map(() =>
  command('restartServer', async (m, s) => {
    await s.world.restartServer();
  }),
);

export const restartCore = fc.constant(null).map(() =>
  command('restartCore', async (m, s) => {
    await s.core.reopen();
    s.world.faults.coreRestarts++;
  }),
);

export const kill = fc.tuple(fc.integer({ min: 0, max: 400 }), fc.option(fc.tuple(fc.nat(), fc.nat()), { freq: 2 })).map(([delay, e]) =>
  command(`killMidSync(${delay}ms${e ? `,edit ${e[0]},${e[1]}` : ''})`, async (m, s) => {
    const t = e ? pick(m.live(), e[0]) : undefined;
    const cell = t ? pick(CELLS[t.model], e![1])! : null;
    const value = m.fresh('m');
    const serverVersion = t ? s.serverVersion(t.id) : 0;
    await s.core.close();
    const r = await killMidSync(s.core.dataDir, t && cell ? [{ id: t.id, values: patchFor(cell, value) }] : [], delay);
    await s.core.reopen();
    if (!r.finished) s.world.faults.killsMidSync++;
    if (t && cell && r.acked.includes(0)) m.ack({ id: t.id, cell, value, serverVersion, what: `edit in the killed child ${t.id} ${cell}=${value}` });
    return `${t && cell ? `edit ${t.id} ${cell}=${value} ${r.acked.includes(0) ? 'acked' : 'not acked'}; ` : ''}${r.finished ? 'sync finished first' : 'killed mid-sync'}`;
  }),
);

/** Every command of issue 10, weighted towards the ones that make conflicts and faults meet. */
