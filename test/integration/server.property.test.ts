import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/demo/seed';
import { can, type Cell } from '../../shared/permissions';
import { folderRef, type Principal, type Role } from '../../shared/domain';
import { recordRuleArb, roleArb, uploadRuleArb } from '../../shared/testkit/arbitraries';
import { CONTEXT, FOLDERS, MAIN, STAGING } from '../../shared/testkit/context';
import { cellsOfModel } from '../../shared/permissions';
import { dastFromText } from '../../shared/domain';
import { cmid, startTestServer, type TestClient, type TestServer } from '../support/server';

/**
 * The server's allow/deny equals the shared engine's decision, for random roles and random
 * requests sent over HTTPS. The role is swapped on the server between batches, which also
 * shows that a role change takes effect on the very next request.
 */
const ROLES = 60;
const REQUESTS_PER_ROLE = 20;

let ts: TestServer;
let admin: TestClient;
let user: TestClient;
let userId: string;
let roleId: string;
const records: { env: typeof MAIN; id: string; model: string; createdBy: string }[] = [];

const ENVS = [MAIN, STAGING];
const CELL_VALUE: Record<string, unknown> = { title: 'x', slug: 'x', body: dastFromText('x'), published_on: '2026-01-01', name: 'x', bio: 'x' };

function values(cells: readonly Cell[]): Record<string, unknown> {
  const out: Record<string, Record<string, unknown> | unknown> = {};
  for (const c of cells) {
    if (c.locale === null) out[c.field] = CELL_VALUE[c.field];
    else out[c.field] = { ...((out[c.field] as Record<string, unknown>) ?? {}), [c.locale]: CELL_VALUE[c.field] };
  }
  return out;
}

type Probe = { label: string; expected: boolean; send: () => Promise<boolean> };

function probeArb(principal: Principal): fc.Arbitrary<Probe> {
  const recordArb = fc.constantFrom(...records);
  const cellsArb = (model: string) => {
    const all = cellsOfModel(CONTEXT.models.find((m) => m.id === model)!.fields, CONTEXT.locales);
    return fc.uniqueArray(fc.constantFrom(...all), { maxLength: 3, selector: (c) => `${c.field}.${c.locale}` });
  };
  const denied = (code: string | undefined) => code === 'FORBIDDEN' || code === 'NOT_FOUND';
  const readable = (r: (typeof records)[number]) => can(principal, 'record.read', { environment: r.env, model: r.model, createdBy: r.createdBy }).allowed;

  const read = recordArb.map<Probe>((r) => ({
    label: `read ${r.env.id}/${r.id}`,
    expected: readable(r),
    send: async () => {
      const res = await user.gql<{ record: unknown }>('query($e: ID!, $id: ID!) { record(environment: $e, id: $id) { id } }', { e: r.env.id, id: r.id });
      return res.data?.record !== null && res.data?.record !== undefined;
    },
  }));
  const update = recordArb.chain((r) =>
    cellsArb(r.model).map<Probe>((cells) => ({
      label: `update ${r.env.id}/${r.id} ${cells.map((c) => `${c.field}.${c.locale}`).join(',')}`,
      expected: readable(r) && can(principal, 'record.update', { environment: r.env, model: r.model, createdBy: r.createdBy, cells }).allowed,
      send: async () =>
        !denied(
          await user.code('mutation($e: ID!, $id: ID!, $v: JSON!, $c: ID!) { updateRecord(environment: $e, id: $id, baseVersion: -1, values: $v, clientMutationId: $c) { id } }', {
            e: r.env.id,
            id: r.id,
            v: values(cells),
            c: cmid('p'),
          }),
        ),
    })),
  );
  const recordLevel = fc.tuple(recordArb, fc.constantFrom('publish' as const, 'unpublish' as const, 'delete' as const)).map<Probe>(([r, action]) => ({
    label: `${action} ${r.env.id}/${r.id}`,
    expected: readable(r) && can(principal, `record.${action}`, { environment: r.env, model: r.model, createdBy: r.createdBy }).allowed,
    send: async () => {
      const q =
        action === 'delete'
          ? 'mutation($e: ID!, $id: ID!, $c: ID!) { deleteRecord(environment: $e, id: $id, baseVersion: -1, clientMutationId: $c) }'
          : `mutation($e: ID!, $id: ID!, $c: ID!) { ${action}Record(environment: $e, id: $id, clientMutationId: $c) { id } }`;
      return !denied(await user.code(q, { e: r.env.id, id: r.id, c: cmid('p') }));
    },
  }));
  const create = fc.tuple(fc.constantFrom(...ENVS), fc.constantFrom('article', 'author')).chain(([env, model]) =>
    cellsArb(model).map<Probe>((cells) => ({
      label: `create ${env.id}/${model} ${cells.map((c) => `${c.field}.${c.locale}`).join(',')}`,
      expected: can(principal, 'record.create', { environment: env, model, cells }).allowed,
      send: async () =>
        !denied(
          await user.code('mutation($e: ID!, $m: ID!, $v: JSON!, $c: ID!) { createRecord(environment: $e, model: $m, values: $v, clientMutationId: $c) { id } }', {
            e: env.id,
            m: model,
            v: values(cells),
            c: cmid('p'),
          }),
        ),
    })),
  );
  const upload = fc.tuple(fc.constantFrom(...ENVS), fc.constantFrom(...FOLDERS.map((f) => f.id))).map<Probe>(([env, folder]) => {
    const ref = folderRef(FOLDERS, folder);
    return {
      label: `upload ${env.id}/${folder}`,
      expected: can(principal, 'upload.read', { environment: env, folder: ref }).allowed && can(principal, 'upload.create', { environment: env, folder: ref }).allowed,
      send: async () =>
        !denied(
          await user.code(
            'mutation($e: ID!, $f: ID!, $c: ID!) { createUploadSlot(environment: $e, folder: $f, filename: "a.txt", size: 1, mimeType: "text/plain", sha256: "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb", clientMutationId: $c) { slotId } }',
            { e: env.id, f: folder, c: cmid('p') },
          ),
        ),
    };
  });
  const flag = fc.constantFrom(
    { q: '{ roles { id } }', action: 'collaborators.manage' as const },
    { q: '{ auditLog(first: 1) { hasMore } }', action: 'auditLog.read' as const },
    { q: '{ apiTokens { id } }', action: 'apiTokens.manage' as const },
  ).map<Probe>(({ q, action }) => ({
    label: action,
    expected: can(principal, action, {}).allowed,
    send: async () => !denied(await user.code(q)),
  }));
  return fc.oneof({ weight: 3, arbitrary: read }, { weight: 5, arbitrary: update }, { weight: 3, arbitrary: recordLevel }, { weight: 2, arbitrary: create }, { weight: 2, arbitrary: upload }, { weight: 1, arbitrary: flag });
}

beforeAll(async () => {
  ts = await startTestServer();
  admin = await ts.client.login(DEMO_USERS.admin);
  const role = await admin.ok<{ createRole: { id: string } }>('mutation($i: JSON!) { createRole(input: $i) { id } }', {
    i: { name: 'Random', flags: {}, environmentsAccess: 'none', recordRules: [], uploadRules: [] },
  });
  roleId = role.createRole.id;
  const inv = await admin.ok<{ inviteCollaborator: { token: string } }>('mutation { inviteCollaborator(email: "random@demo.test", role: "editor") { token } }');
  const acc = await ts.client.ok<{ acceptInvitation: { token: string; viewer: { user: { id: string } } } }>(
    'mutation($t: String!) { acceptInvitation(token: $t, name: "Random", password: "Random-pass-1") { token viewer { user { id } } } }',
    { t: inv.inviteCollaborator.token },
  );
  user = ts.client.as(acc.acceptInvitation.token);
  userId = acc.acceptInvitation.viewer.user.id;
  // Records of the user's own, so that onCreator: self has something to match.
  for (const env of ENVS) {
    for (const model of ['article', 'author']) {
      const v = model === 'article' ? { title: { en: 'Mine' }, body: { en: dastFromText('Mine') } } : { name: 'Mine' };
      const d = await user.ok<{ createRecord: { id: string } }>('mutation($e: ID!, $m: ID!, $v: JSON!, $c: ID!) { createRecord(environment: $e, model: $m, values: $v, clientMutationId: $c) { id } }', {
        e: env.id,
        m: model,
        v,
        c: cmid(),
      });
      records.push({ env, id: d.createRecord.id, model, createdBy: userId });
    }
  }
  const editorId = (await admin.ok<{ collaborators: { id: string; email: string }[] }>('{ collaborators { id email } }')).collaborators.find((c) => c.email === DEMO_USERS.editor)!.id;
  for (const env of ENVS) for (const id of ['article-01', 'article-03', 'author-2']) records.push({ env, id, model: id.split('-')[0]!, createdBy: editorId });
  await admin.ok('mutation($u: ID!, $r: ID!) { changeCollaboratorRole(userId: $u, role: $r) }', { u: userId, r: roleId });
});
afterAll(async () => ts.stop());

describe('server decisions equal the shared engine', () => {
  it(`over ${ROLES} random roles × ${REQUESTS_PER_ROLE} requests over HTTPS`, async () => {
    // Leaning toward allow, so that both outcomes are common; deny rules still come from roleArb.
    const biased = fc
      .tuple(
        roleArb,
        fc.constantFrom('all' as const, 'all' as const, 'primary_only' as const, 'sandbox_only' as const, 'none' as const),
        fc.array(
          fc.tuple(recordRuleArb, fc.boolean()).map(([r, whole]) =>
            // Record-level actions need a rule not narrowed to cells; make those common.
            whole ? { ...r, effect: 'allow' as const, localizationScope: 'all' as const, locales: 'all' as const } : { ...r, effect: 'allow' as const },
          ),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(uploadRuleArb.map((r) => ({ ...r, effect: 'allow' as const })), { maxLength: 2 }),
      )
      .map(([r, environmentsAccess, allowRecords, allowUploads]): Role => ({
        ...r,
        environmentsAccess,
        recordRules: [...allowRecords, ...r.recordRules],
        uploadRules: [...allowUploads, ...r.uploadRules],
      }));
    const roles = fc.sample(biased, { numRuns: ROLES });
    let sent = 0;
    let allowed = 0;
    const mismatches: string[] = [];
    for (const generated of roles) {
      const { id: _id, builtIn: _b, ...input } = generated;
      await admin.ok('mutation($id: ID!, $i: JSON!) { updateRole(id: $id, input: $i) { id } }', { id: roleId, i: input });
      const role: Role = { ...generated, id: roleId };
      const principal: Principal = { userId, role };
      for (const probe of fc.sample(probeArb(principal), { numRuns: REQUESTS_PER_ROLE })) {
        const got = await probe.send();
        sent++;
        if (got) allowed++;
        if (got !== probe.expected) mismatches.push(`${probe.label}: server ${got}, engine ${probe.expected}; role ${JSON.stringify(input)}`);
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(1000);
    // Both outcomes must occur, or the comparison proves little.
    expect(allowed).toBeGreaterThan(sent * 0.05);
    expect(allowed).toBeLessThan(sent * 0.95);
  });
});
