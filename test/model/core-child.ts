// The desktop core in a process of its own, to be killed with SIGKILL in the middle of a sync.
// argv: dataDir, then a JSON list of edits [{ id, values }]. Prints `ACK i` once edit i is
// saved (what the app would show as saved), `SYNCING` as the sync starts, `DONE` after it.
import { dispatch } from '../../electron/core/bridge/dispatch';
import { openCore } from './core-handle';

async function main(): Promise<void> {
  const [dataDir, editsJson] = process.argv.slice(2);
  const edits = JSON.parse(editsJson ?? '[]') as { id: string; values: Record<string, never> }[];
  const core = await openCore(dataDir!);
  for (const [i, e] of edits.entries()) {
    const r = await dispatch(core, 'content.edit', { env: 'main', id: e.id, values: e.values });
    process.stdout.write(r.ok ? `ACK ${i}\n` : `NACK ${i} ${r.error.code}\n`);
  }
  process.stdout.write('SYNCING\n');
  const r = await dispatch(core, 'sync.run', {});
  process.stdout.write(`DONE ${JSON.stringify(r)}\n`);
  await core.close();
}

// Bundled as CommonJS (like electron/main), so no top-level await.
main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
