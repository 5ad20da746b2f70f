import { parseArgs } from 'node:util';
import { serverLoad } from './server-load';
import { coreSync } from './core-sync';
import { rendererFirstRows } from './renderer';

/**
 * `npm run bench [-- --only server] [--seconds N] [--clients N]`: performance figures, each
 * beside the physical limit measured in the same run. Record them in docs/benchmarks.md.
 */
const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    seconds: { type: 'string', default: '30' },
    clients: { type: 'string', default: '50' },
    records: { type: 'string', default: '50000' },
  },
});
const sections: Record<string, () => Promise<string[]>> = {
  core: () => coreSync({ records: Number(values.records) }),
  renderer: () => rendererFirstRows({ records: Number(values.records) }),
  server: () => serverLoad({ clients: Number(values.clients), seconds: Number(values.seconds) }),
};

const chosen = values.only ? values.only.split(',') : Object.keys(sections);
console.log(`Inkstone bench — ${new Date().toISOString()} — node ${process.version}, ${(await import('node:os')).cpus().length} cores`);
for (const name of chosen) {
  const run = sections[name];
  if (!run) {
    console.error(`unknown section "${name}" (have: ${Object.keys(sections).join(', ')})`);
    process.exit(2);
  }
  for (const line of await run()) console.log(line);
}
