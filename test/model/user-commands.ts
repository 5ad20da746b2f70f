import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { dastFromText, type Json, type Values } from '../../shared/domain';
import { Refused } from './core-handle';
import { CELLS, REQUIRED, ROLES, canonical, cellOf, patchFor, type RoleId, type Tracked } from './model';
import { seeRecord } from './observe';
import type { Input } from '../../shared/ipc/contract';
import { LOCAL_REFUSALS, command, pick, refusedWhole } from './command';

/** What users do: the core's user through the bridge, the Admin (second principal) through the API. */
export const edit = fc.tuple(fc.nat(), fc.nat(), fc.boolean()).map(([r, c, clear]) =>
  command(`edit(${r},${c}${clear ? ',clear' : ''})`, async (m, s) => {
    const t = pick(m.live(), r);
    if (!t) return 'no record';
    const cell = pick(CELLS[t.model], c)!;
    const value: Json = clear && REQUIRED.has(cell) ? null : m.fresh('m');
    const before = canonical((await seeRecord(s.core, t.id))?.values);
    const serverVersion = s.serverVersion(t.id);
    const r2 = await s.core.envelope('content.edit', { env: 'main', id: t.id, values: patchFor(cell, value) });
    if (!r2.ok) return `${t.id} ${cell} ${await refusedWhole(s, t, before, r2.error)}`;
    m.ack({ id: t.id, cell, value, serverVersion, what: `edit ${t.id} ${cell}=${JSON.stringify(value)}` });
    return `${t.id} ${cell}=${JSON.stringify(value)}`;
  }),
);

/** The user keeps typing in the field they last edited (autosave sends each pause as an edit). */
export const retype = fc.constant(null).map(() =>
  command('retype', async (m, s) => {
    const last = [...m.edits.values()].filter((e) => m.live().some((t) => t.id === e.id)).at(-1);
    if (!last) return 'nothing typed yet';
    const value = m.fresh('m');
    const serverVersion = s.serverVersion(last.id);
    const r = await s.core.envelope('content.edit', { env: 'main', id: last.id, values: patchFor(last.cell, value) });
    if (!r.ok) {
      if (!LOCAL_REFUSALS.has(r.error.code)) throw new Refused('content.edit', r.error);
      return `${last.id} ${last.cell} refused ${r.error.code}`;
    }
    m.ack({ id: last.id, cell: last.cell, value, serverVersion, what: `retype ${last.id} ${last.cell}=${value}` });
    return `${last.id} ${last.cell}=${value}`;
  }),
);

export const create = fc.constantFrom('article', 'author').map((model) =>
  command(`create(${model})`, async (m, s) => {
    const marker = m.fresh('m');
    const values: Values = model === 'article' ? { title: { en: marker }, body: { en: dastFromText(m.fresh('m')) as unknown as Json } } : { name: marker };
    const r = await s.core.envelope('content.create', { env: 'main', model, values });
    if (!r.ok) {
      if (!LOCAL_REFUSALS.has(r.error.code)) throw new Refused('content.create', r.error);
      return `refused ${r.error.code}`;
    }
    const id = r.value.id;
    m.records.push({ id, model, marker, deleted: false });
    for (const cell of model === 'article' ? ['title.en'] : ['name']) m.ack({ id, cell, value: cellOf(values, cell), serverVersion: 0, what: `create ${id} ${cell}` });
    return `${id} ${marker}`;
  }),
);

export const action = (kinds: ('publish' | 'unpublish' | 'delete')[]) =>
  fc.tuple(fc.nat(), fc.constantFrom(...kinds)).map(([r, kind]) =>
  command(`${kind}(${r})`, async (m, s) => {
    const t = pick(m.live(), r);
    if (!t) return 'no record';
    const seen = await seeRecord(s.core, t.id);
    const before = canonical(seen?.values);
    const res = await s.core.envelope('content.action', { env: 'main', id: t.id, kind });
    if (!res.ok) return `${t.id} ${await refusedWhole(s, t, before, res.error)}`;
    const what = `${kind} ${t.id} #${m.log.length}`;
    if (kind === 'publish') {
      m.snapshots.set(t.id, [...(m.snapshots.get(t.id) ?? []), seen!.values]);
      m.intents.set(t.id, { kind, values: seen!.values, what });
      m.press(t.id, kind);
    } else if (kind === 'unpublish') {
      m.intents.set(t.id, { kind, what });
      m.press(t.id, kind);
    } else {
      t.deleted = true;
      m.intents.set(t.id, { kind, what });
      m.retire(t.id);
    }
    return `${t.id} seeing ${before}`;
  }),
  );

const FOLDERS = ['marketing', 'editorial'];
export const upload = fc.tuple(fc.nat(), fc.option(fc.nat(), { freq: 3 })).map(([f, again]) =>
  command(`upload(${f}${again === null ? '' : `,again ${again}`})`, async (m, s) => {
    const folder = pick(FOLDERS, f)!;
    const bytes = (again !== null && pick(m.uploadBytes, again)) || Buffer.from(`model upload ${m.fresh('m')}\n`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const r = await s.core.upload(folder, `${sha256.slice(0, 8)}.txt`, 'text/plain', bytes, Math.ceil(bytes.length / 2)).then(
      (id) => ({ ok: true as const, id }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    if (!r.ok) {
      if (!(r.e instanceof Refused) || !LOCAL_REFUSALS.has(r.e.error.code)) throw r.e;
      return `refused ${r.e.error.code}`;
    }
    if (!m.uploadBytes.includes(bytes)) m.uploadBytes.push(bytes);
    m.uploads.push({ id: r.id, folder, sha256, what: `upload ${r.id} ${sha256.slice(0, 8)} into ${folder}` });
    return `${r.id} ${sha256.slice(0, 8)} into ${folder}`;
  }),
);

export const resolve = fc.tuple(fc.nat(), fc.constantFrom('mine', 'theirs', 'write')).map(([i, choice]) =>
  command(`resolve(${i},${choice})`, async (m, s) => {
    const c = pick(await s.core.call('sync.conflicts', { env: 'main' }), i);
    if (!c) return 'no conflict';
    // A resolution the core refuses (the role lost the environment; a re-created record that
    // would be invalid) must say why and change nothing the user sees.
    const before = canonical((await seeRecord(s.core, c.recordId))?.values);
    const refusal = async (input: Input<'sync.resolve'>): Promise<string | null> => {
      const r = await s.core.envelope('sync.resolve', input);
      return r.ok ? null : refusedWhole(s, { id: c.recordId } as Tracked, before, r.error);
    };
    if (c.cell === '*') {
      // The server deleted the record: mine re-creates it (under a new id), theirs lets it go.
      const keep = choice === 'theirs' ? 'theirs' : 'mine';
      const model = m.records.find((t) => t.id === c.recordId)?.model ?? 'article';
      const createdBefore = new Set((await s.core.call('content.records', { env: 'main', model })).filter((x) => x.local === 'created').map((x) => x.id));
      const no = await refusal({ env: 'main', recordId: c.recordId, cell: '*', keep });
      if (no) return `${c.recordId} deleted: ${keep} ${no}`;
      if (keep === 'theirs') {
        m.retire(c.recordId);
        const t = m.records.find((x) => x.id === c.recordId);
        if (t) t.deleted = true;
        return `${c.recordId} deleted: theirs`;
      }
      const made = (await s.core.call('content.records', { env: 'main', model })).filter((x) => x.local === 'created' && !createdBefore.has(x.id));
      if (made.length !== 1) throw new Error(`keep mine on deleted ${c.recordId} re-created ${made.length} records`);
      m.move(c.recordId, made[0]!.id);
      return `${c.recordId} deleted: mine, re-created as ${made[0]!.id}`;
    }
    if (choice === 'write') {
      const value = m.fresh('m');
      const serverVersion = s.serverVersion(c.recordId);
      const no = await refusal({ env: 'main', recordId: c.recordId, cell: c.cell, value });
      if (no) return `${c.recordId} ${c.cell} write ${no}`;
      m.ack({ id: c.recordId, cell: c.cell, value, serverVersion, what: `resolve ${c.recordId} ${c.cell} by writing ${value}` });
      return `${c.recordId} ${c.cell} write ${value}`;
    }
    const no = await refusal({ env: 'main', recordId: c.recordId, cell: c.cell, keep: choice });
    if (no) return `${c.recordId} ${c.cell} keep ${choice} ${no}`;
    if (choice === 'theirs') m.retire(c.recordId, c.cell);
    return `${c.recordId} ${c.cell} keep ${choice} (mine ${JSON.stringify(c.mine)}, theirs ${JSON.stringify(c.theirs)})`;
  }),
);

export const remoteEdit = fc.tuple(fc.nat(), fc.nat()).map(([r, c]) =>
  command(`remoteEdit(${r},${c})`, async (m, s) => {
    const t = pick(
      m.records.filter((x) => !s.server.record(x.id)?.deleted && s.server.record(x.id)),
      r,
    );
    if (!t) return 'no record on the server';
    const cell = pick(CELLS[t.model], c)!;
    const value = m.fresh('r');
    await s.world.admin.ok('mutation($id: ID!, $b: Int!, $v: JSON!, $c: ID!) { updateRecord(environment: "main", id: $id, baseVersion: $b, values: $v, clientMutationId: $c) { id } }', {
      id: t.id,
      b: s.serverVersion(t.id),
      v: patchFor(cell, value),
      c: `remote-${value}`,
    });
    return `${t.id} ${cell}=${value}`;
  }),
);

export const remoteDelete = fc.nat().map((r) =>
  command(`remoteDelete(${r})`, async (m, s) => {
    const t = pick(
      m.records.filter((x) => s.server.record(x.id) && !s.server.record(x.id)!.deleted),
      r,
    );
    if (!t) return 'no record on the server';
    await s.world.admin.ok('mutation($id: ID!, $b: Int!, $c: ID!) { deleteRecord(environment: "main", id: $id, baseVersion: $b, clientMutationId: $c) }', {
      id: t.id,
      b: s.serverVersion(t.id),
      c: `remote-del-${m.fresh('r')}`,
    });
    return t.id;
  }),
);

const setRole = (role: RoleId) =>
  command(`role(${role})`, async (m, s) => {
    await s.world.admin.ok('mutation($u: ID!, $r: ID!) { changeCollaboratorRole(userId: $u, role: $r) }', { u: s.world.coreUserId, r: role });
    m.role = role;
  });

/** Admin gives the core's user another role that still reaches `main`. */
export const roleChange = fc.constantFrom<RoleId>(...ROLES.filter((r) => r !== 'sandbox-developer')).map(setRole);
/** Admin gives the core's user a role that no longer reaches `main` at all. */
export const loseMain = fc.constant<RoleId>('sandbox-developer').map(setRole);

