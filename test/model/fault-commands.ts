import fc from 'fast-check';
import { killMidSync } from './kill';
import { CELLS, patchFor } from './model';
import { command, pick } from './command';

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

export const loseAnswer = fc.constant(null).map(() =>
  command(
    'loseAnswer',
    async (m, s) => {
      const before = s.world.proxy.dropped;
      s.world.proxy.losePushAnswers(true);
      try {
        const r = await s.core.call('sync.run', {});
        s.world.faults.answersDropped += s.world.proxy.dropped - before;
        return `${s.world.proxy.dropped - before} answer(s) dropped; ${JSON.stringify(r)}`;
      } finally {
        s.world.proxy.losePushAnswers(false);
      }
    },
    (m) => m.online,
  ),
);

/** A push cut before the server had it whole: to the core, a lost answer; to the server, nothing happened. */
export const loseRequest = fc.constant(null).map(() =>
  command(
    'loseRequest',
    async (m, s) => {
      const before = s.world.proxy.cutRequests;
      s.world.proxy.losePushRequests(true);
      try {
        const r = await s.core.call('sync.run', {});
        s.world.faults.requestsCut += s.world.proxy.cutRequests - before;
        return `${s.world.proxy.cutRequests - before} request(s) cut; ${JSON.stringify(r)}`;
      } finally {
        s.world.proxy.losePushRequests(false);
      }
    },
    (m) => m.online,
  ),
);

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
