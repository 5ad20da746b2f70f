// One worker of the model bench: runs its share of sequences in its own server, proxy and cores,
// starting over with the next seed after a failure, and prints one JSON line of figures.
import { DEFAULT_COMMANDS, runModel, type ModelRunStats } from '../model/run';
import type { CommandName } from '../model/commands';
import { Harness } from '../model/sut';

const [runsArg, seedArg, maxArg, skipArg] = process.argv.slice(2);
let left = Number(runsArg);
let seed = Number(seedArg);
const skip = (skipArg ?? '').split(',');
const total = { sequences: 0, commands: 0, ms: 0, failures: [] as string[], faults: { serverRestarts: 0, coreRestarts: 0, killsMidSync: 0, answersDropped: 0, requestsCut: 0 } };
// One server and proxy for the worker's whole share: a failure does not pay for a new one.
const harness = await Harness.start();
while (left > 0) {
  const s: ModelRunStats = await runModel({
    runs: left,
    maxCommands: Number(maxArg),
    seed,
    commands: DEFAULT_COMMANDS.filter((c: CommandName) => !skip.includes(c)),
    log: () => {},
  }, harness);
  total.sequences += s.sequences;
  total.commands += s.commands;
  total.ms += s.ms;
  left -= s.sequences;
  for (const k of Object.keys(total.faults) as (keyof typeof total.faults)[]) total.faults[k] += s.faults[k];
  if (s.failure) {
    total.failures.push(s.failure);
    process.stderr.write(`model worker: failure after ${total.sequences} sequences\n${s.failure}\n`);
  }
  seed++;
  if (s.sequences === 0) break;
}
await harness.stop();
process.stdout.write(`${JSON.stringify(total)}\n`);
process.exit(0);
