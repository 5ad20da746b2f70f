import { spawn } from 'node:child_process';
import { fmt } from './stats';

/**
 * Issue 10's model-based test at scale: `npm run bench -- --only model [--sequences N]
 * [--workers N] [--commands N]`. Each worker is a process with its own server, proxy and
 * cores (the same harness as `npm test`'s 100 sequences); a failure is counted, printed with
 * its replay seed, and the worker goes on with the next seed.
 */
export async function modelBench(opts: { sequences: number; workers: number; maxCommands: number; skip: string }): Promise<string[]> {
  const seed = Math.floor(Math.random() * 2 ** 30);
  const share = Math.ceil(opts.sequences / opts.workers);
  const started = Date.now();
  const results = await Promise.all(
    Array.from({ length: opts.workers }, (_, w) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/model-worker.ts', String(share), String(seed + w * 1000), String(opts.maxCommands), opts.skip], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      return new Promise<{ sequences: number; commands: number; ms: number; failures: string[]; faults: Record<string, number> }>((resolve, reject) =>
        child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1)!)) : reject(new Error(`model worker ${w} failed (${code})`)))),
      );
    }),
  );
  const wall = (Date.now() - started) / 1000;
  const sequences = results.reduce((n, r) => n + r.sequences, 0);
  const commands = results.reduce((n, r) => n + r.commands, 0);
  const failures = results.flatMap((r) => r.failures);
  const faults: Record<string, number> = {};
  for (const r of results) for (const [k, v] of Object.entries(r.faults)) faults[k] = (faults[k] ?? 0) + v;
  const lines = [
    `model: ${sequences} sequences, ${commands} commands (≤ ${opts.maxCommands} a sequence, ${fmt(commands / sequences)} on average), ${opts.workers} workers, seeds from ${seed}${opts.skip ? `, without ${opts.skip}` : ''}`,
    `model: faults injected: ${Object.entries(faults).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `model: ${fmt(wall, 0)} s wall, ${fmt((wall * 1000 * opts.workers) / sequences, 0)} ms per sequence per worker; failures found: ${failures.length}`,
  ];
  for (const f of failures) lines.push(`model failure:\n${f}`);
  return lines;
}
