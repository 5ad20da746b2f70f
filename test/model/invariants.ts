import { canonical, cellOf, hasCell, sameValue, type AckedEdit, type ModelState } from './model';
import { UPLOAD_PROBLEM_STATES, type Seen } from './observe';
import type { ServerOracle } from './server-oracle';

/**
 * The promises of DESIGN §5, judged after every command (`healed` false) and once the network
 * is healed and the core has synced (`healed` true). Returns what broke, in words.
 */
export function violations(state: ModelState, server: ServerOracle, seen: Seen, coreUser: string, healed: boolean): string[] {
  const out: string[] = [];
  const problemOn = (id: string) => seen.problems.some((p) => p.recordId === id);
  const conflictOn = (id: string) => seen.conflicts.some((c) => c.recordId === id);

  // 1. Never lost: every acknowledged edit reached the server, or is still to send, or is shown.
  for (const e of state.edits.values()) {
    const where = whereIs(e, state, server, seen, coreUser);
    if (where === 'server' || where === 'conflict' || where === 'problem') continue;
    if (where === 'pending' && !healed) continue;
    out.push(`acknowledged edit ${e.what} (${e.id} ${e.cell} = ${JSON.stringify(e.value)}) is ${where === 'pending' ? 'still pending after the network healed, with no problem shown' : `lost: not on the server, not pending, not shown (${where})`}`);
  }

  // 1b. The user's own write never comes back as a conflict ("theirs" written by this very core).
  for (const c of seen.conflicts) {
    if (typeof c.theirs === 'string' && c.theirs.startsWith(`m-${state.run}-`)) {
      out.push(`false conflict on ${c.recordId} ${c.cell}: "theirs" (${c.theirs}) is this core's own write; mine is ${JSON.stringify(c.mine)}`);
    }
  }

  // 2. Healed: nothing left to send unless it is shown as a problem.
  if (healed) {
    // Pending counts what a problem or conflict holds back too: it must be explained by one.
    const shown = seen.problems.length + seen.conflicts.length + seen.uploads.filter((u) => UPLOAD_PROBLEM_STATES.has(u.state)).length;
    if (seen.pending > 0 && shown === 0) out.push(`${seen.pending} thing(s) still pending after the network healed and the core synced, and no problem or conflict is shown`);
    for (const [id, r] of seen.records) {
      if (r && r.local !== 'none' && !problemOn(id) && !conflictOn(id)) {
        out.push(`record ${id} is still "${r.local}" (unsent cells ${canonical(r.draft)}) after healing, with no problem or conflict shown`);
      }
    }
    for (const u of seen.uploads) {
      if (u.state !== 'done' && !UPLOAD_PROBLEM_STATES.has(u.state)) out.push(`upload ${u.id} is still "${u.state}" after healing`);
    }
  }

  for (const t of state.records) {
    const s = server.record(t.id);
    // 3. A published version holds exactly what the user saw at some publish press.
    if (s && s.publishedValues !== null) {
      const snaps = state.snapshots.get(t.id) ?? [];
      if (!snaps.some((v) => sameValue(v, s.publishedValues!))) {
        out.push(`record ${t.id} is published with ${canonical(s.publishedValues)}, which the user never saw at a publish press (saw: ${snaps.map((v) => canonical(v)).join(' | ') || 'no press'})`);
      }
    }
    // 4. No duplicate effect: one live record per create, no press applied twice, no write repeated.
    if (t.marker) {
      const holders = server.liveRecordsHolding(t.marker);
      if (holders.length > 1) out.push(`the create of ${t.id} (${t.marker}) exists ${holders.length} times on the server: ${holders.join(', ')}`);
    }
    const presses = state.presses.get(t.id) ?? { publish: 0, unpublish: 0 };
    for (const kind of ['publish', 'unpublish'] as const) {
      const applied = server.audits(t.id, coreUser, `record.${kind}`);
      if (applied > presses[kind]) out.push(`record ${t.id}: ${kind} applied ${applied} times on the server for ${presses[kind]} acknowledged press(es)`);
    }
    const creates = server.audits(t.id, coreUser, 'record.create');
    if (creates > 1) out.push(`record ${t.id} created ${creates} times`);
    const versions = server.versions(t.id);
    const repeats = versions.filter((v, i) => i > 0 && v.by === coreUser && canonical(v.values) === canonical(versions[i - 1]!.values)).length;
    if (repeats > presses.publish + presses.unpublish) {
      out.push(`record ${t.id}: ${repeats} versions by the core repeat the previous values, more than its ${presses.publish + presses.unpublish} publish/unpublish press(es)`);
    }

    // 5. Healed: the last publish / unpublish / delete the user pressed holds, or is shown.
    const intent = state.intents.get(t.id);
    if (healed && intent && s && !s.deleted && !problemOn(t.id) && !conflictOn(t.id)) {
      if (intent.kind === 'publish' && !sameValue(s.publishedValues ?? undefined, intent.values)) {
        out.push(`record ${t.id}: ${intent.what} pressed with ${canonical(intent.values)} but the server publishes ${canonical(s.publishedValues ?? undefined)}, and no problem is shown`);
      }
      if (intent.kind === 'unpublish' && s.publishedVersion !== null) out.push(`record ${t.id}: ${intent.what} acknowledged, yet still published and no problem shown`);
      if (intent.kind === 'delete') out.push(`record ${t.id}: ${intent.what} acknowledged, yet the record lives on the server and no problem is shown`);
    }
  }

  for (const u of state.uploads) {
    const n = server.assets(u.sha256, u.folder);
    if (n > 1) out.push(`upload ${u.what} is ${n} assets on the server`);
    const row = seen.uploads.find((x) => x.id === u.id);
    if (n === 0 && !row) out.push(`upload ${u.what} is neither on the server nor in the core's list`);
    if (healed && n === 0 && row && !UPLOAD_PROBLEM_STATES.has(row.state)) out.push(`upload ${u.what} did not reach the server after healing (state ${row.state})`);
  }
  return out;
}

/** Where an acknowledged edit is now; a string naming the evidence. */
function whereIs(e: AckedEdit, state: ModelState, server: ServerOracle, seen: Seen, coreUser: string): string {
  if (server.versions(e.id).some((v) => v.version > e.serverVersion && v.by === coreUser && sameValue(cellOf(v.values, e.cell), e.value))) return 'server';
  // An edit to what the server already holds (clearing a cell again) has nothing to send.
  const now = server.record(e.id);
  if (now && !now.deleted && sameValue(cellOf(now.values, e.cell), e.value)) return 'server';
  const c = seen.conflicts.find((x) => x.recordId === e.id && (x.cell === e.cell || x.cell === '*'));
  if (c) {
    const mine = c.cell === '*' ? cellOf(c.mine as never, e.cell) : c.mine;
    if (sameValue(mine, e.value)) return 'conflict';
  }
  const r = seen.records.get(e.id);
  if (!r) return `no such record in the core${state.records.find((t) => t.id === e.id)?.deleted ? ' (deleted)' : ''}`;
  if (!sameValue(cellOf(r.values, e.cell), e.value)) return `the core shows ${JSON.stringify(cellOf(r.values, e.cell))}`;
  if (seen.problems.some((p) => p.recordId === e.id)) return 'problem';
  const unsent = r.local === 'created' || (hasCell(r.draft, e.cell) && sameValue(cellOf(r.draft, e.cell), e.value));
  return unsent ? 'pending' : 'shown locally but neither unsent nor on the server';
}
