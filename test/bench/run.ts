import { parseArgs } from 'node:util';
import { serverLoad } from './server-load';
import { coreSync } from './core-sync';
import { rendererFirstRows } from './renderer';
import { modelBench } from './model';

/**
 * `npm run bench [-- --only server] [--seconds N] [--clients N,M] [--records N,M]`: performance figures, each
 * beside the physical limit measured in the same run. Record them in docs/benchmarks.md.
 * `--only model [--sequences N] [--workers N] [--commands N] [--skip a,b]` runs the model-based
 * test of the core at scale (not part of a plain `npm run bench`: it is a search for bugs).
 */
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    clients: { type: 'string', default: '50,200' },
    records: { type: 'string', default: '50000,200000' },
    sequences: { type: 'string', default: '2000' },
    workers: { type: 'string', default: '2' },
    commands: { type: 'string', default: '10' },
    skip: { type: 'string', default: '' },
  },
});
const sections: Record<string, () => Promise<string[]>> = {
  core: () => coreSync({ records: values.records.split(',').map(Number) }),
  renderer: () => rendererFirstRows({ records: Number(values.records.split(',')[0]) }),
  server: () => serverLoad({ clients: values.clients.split(',').map(Number), seconds: Number(values.seconds) }),
  model: () => modelBench({ sequences: Number(values.sequences), workers: Number(values.workers), maxCommands: Number(values.commands), skip: values.skip }),
};
/** Sections a plain `npm run bench` runs; the others only by name. */
const DEFAULT_SECTIONS = ['core', 'renderer', 'server'];

const chosen = values.only ? values.only.split(',') : DEFAULT_SECTIONS;
console.log(`Inkstone bench — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
for (const name of chosen) {
  const run = sections[name];
  if (!run) {
    console.error(`unknown section "${name}" (have: ${Object.keys(sections).join(', ')})`);
    process.exit(2);
  }
  for (const line of await run()) console.log(line);
}
