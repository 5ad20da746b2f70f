// A core process that edits and syncs in a loop until it is killed. It prints `ACK …` only
// after an edit call has returned, i.e. once the app would show "saved on this computer".
import { InkstoneCore } from '../../electron/core/core';
import { OsKeychainVault } from '../../electron/core/vault/token-vault';
import { dastFromText, type Json } from '../../shared/domain';

const [dataDir, runArg] = process.argv.slice(2);
const run = Number(runArg);
const core = await InkstoneCore.open({ dataDir: dataDir!, vault: new OsKeychainVault(), api: { attempts: 2, backoffMs: 10 } });
const author = `author-${(run % 7) + 1}`;
process.stdout.write('READY\n');
let step = 0;
for (;;) {
  if (step === 0) {
    core.edit('main', author, { bio: { en: `run-${run}` } });
    process.stdout.write(`ACK edit ${author} run-${run}\n`);
  } else if (step === 1) {
    core.create('main', 'author', { name: `crash-${run}` }, `crash-${run}`);
    process.stdout.write(`ACK create crash-${run}\n`);
  } else if (step % 3 === 2) {
    core.edit('main', `article-${String(((run + step) % 30) + 1).padStart(2, '0')}`, { body: { de: dastFromText(`run-${run}-step-${step}`) as unknown as Json } });
    process.stdout.write(`ACK body article-${String(((run + step) % 30) + 1).padStart(2, '0')} run-${run}-step-${step}\n`);
  }
  if (step % 2 === 0) await core.sync().catch((e: unknown) => process.stdout.write(`SYNC-ERROR ${(e as Error).message}\n`));
  step++;
  if (step > 90) {
    process.stdout.write('DONE\n');
    await core.close();
    process.exit(0);
  }
}
