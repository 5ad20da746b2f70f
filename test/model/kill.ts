import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { bundleChild } from '../support/bundle-child';

let bundled: Promise<string> | null = null;

/** The child bundled as electron/main is (CommonJS, natives external): it starts in a fraction of tsx's time. */
function bundle(): Promise<string> {
  bundled ??= (async () => {
    const outfile = `dist/model/core-child-${process.pid}.cjs`;
    await bundleChild('test/model/core-child.ts', outfile);
    process.once('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return bundled;
}

export interface KillResult {
  /** Indexes of the edits the child acknowledged before it died. */
  acked: number[];
  /** The sync finished before the kill landed. */
  finished: boolean;
  killed: boolean;
}

/**
 * Runs the core in a child process over `dataDir`: it makes `edits`, then syncs, and gets
 * SIGKILL `delayMs` after the sync starts. The caller must have closed its own core first.
 */
export async function killMidSync(dataDir: string, edits: { id: string; values: object }[], delayMs: number): Promise<KillResult> {
  const file = await bundle();
  const child = spawn(process.execPath, [file, dataDir, JSON.stringify(edits)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const result: KillResult = { acked: [], finished: false, killed: false };
  let timer: NodeJS.Timeout | null = null;
  createInterface({ input: child.stdout }).on('line', (l) => {
    const ack = /^ACK (\d+)$/.exec(l);
    if (ack) result.acked.push(Number(ack[1]));
    if (l === 'SYNCING') timer = setTimeout(() => (result.killed = child.kill('SIGKILL')), delayMs);
    if (l.startsWith('DONE')) result.finished = true;
  });
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
  if (timer) clearTimeout(timer);
  if (signal !== 'SIGKILL' && code !== 0) throw new Error(`the core child failed (${code}): ${stderr.slice(0, 2000)}`);
  return result;
}
