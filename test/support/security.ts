import type { RoleInput } from '../../shared/domain';
import { cmid, type TestClient } from './server';

let n = 0;

/**
 * A collaborator of a custom role, made the real way: the Admin creates the role and an
 * invitation, the invitee accepts it and signs in. Returns their session client and ids.
 */
export async function collaboratorWithRole(admin: TestClient, role: Partial<RoleInput> & { name: string }, password = 'Guest-pass-1') {
  const input = { flags: {}, environmentsAccess: 'all', recordRules: [], uploadRules: [], ...role };
  const created = await admin.ok<{ createRole: { id: string } }>('mutation($i: JSON!) { createRole(input: $i) { id } }', { i: input });
  const email = `guest-${process.pid}-${n++}@demo.test`;
  const inv = await admin.ok<{ inviteCollaborator: { token: string } }>('mutation($e: String!, $r: ID!) { inviteCollaborator(email: $e, role: $r) { token } }', {
    e: email,
    r: created.createRole.id,
  });
  const acc = await admin
    .as(null)
    .ok<{ acceptInvitation: { token: string; viewer: { user: { id: string } } } }>(
      'mutation($t: String!, $p: String!) { acceptInvitation(token: $t, name: "Guest", password: $p) { token viewer { user { id } } } }',
      { t: inv.inviteCollaborator.token, p: password },
    );
  return { client: admin.as(acc.acceptInvitation.token), userId: acc.acceptInvitation.viewer.user.id, roleId: created.createRole.id, email };
}

export async function createToken(c: TestClient, scope: unknown, name = 'test token') {
  const d = await c.ok<{ createApiToken: { token: string; apiToken: { id: string } } }>(
    'mutation($n: String!, $s: JSON!) { createApiToken(name: $n, scope: $s) { token apiToken { id } } }',
    { n: name, s: scope },
  );
  return { secret: d.createApiToken.token, id: d.createApiToken.apiToken.id, client: c.as(d.createApiToken.token) };
}

export const CREATE_RECORD = `mutation($env: ID!, $model: ID!, $id: ID, $values: JSON!, $c: ID!) {
  createRecord(environment: $env, model: $model, id: $id, values: $values, clientMutationId: $c) { id version } }`;
export const UPDATE_RECORD = `mutation($env: ID!, $id: ID!, $v: Int!, $values: JSON!, $c: ID!) {
  updateRecord(environment: $env, id: $id, baseVersion: $v, values: $values, clientMutationId: $c) { id version } }`;
export const DELETE_RECORD = `mutation($env: ID!, $id: ID!, $v: Int!, $c: ID!) { deleteRecord(environment: $env, id: $id, baseVersion: $v, clientMutationId: $c) }`;
export { cmid };
