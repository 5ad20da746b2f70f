// One worker of the model bench: runs its share of sequences in its own server, proxy and cores,
// starting over with the next seed after a failure, and prints one JSON line of figures.
import { DEFAULT_COMMANDS, runModel, type ModelRunStats } from '../model/run';
import type { CommandName } from '../model/commands';

const [runsArg, seedArg, maxArg, skipArg] = process.argv.slice(2);
let left = Number(runsArg);
let seed = Number(seedArg);
const skip = (skipArg ?? '').split(',');
const total = { sequences: 0, commands: 0, ms: 0, failures: [] as string[] };
while (left > 0) {
  const s: ModelRunStats = await runModel({
    runs: left,
    maxCommands: Number(maxArg),
    seed,
    commands: DEFAULT_COMMANDS.filter((c: CommandName) => !skip.includes(c)),
    log: () => {},
  });
  total.sequences += s.sequences;
  total.commands += s.commands;
  total.ms += s.ms;
  left -= s.sequences;
  if (s.failure) total.failures.push(s.failure);
  seed++;
  if (s.sequences === 0) break;
}
process.stdout.write(`${JSON.stringify(total)}\n`);
process.exit(0);
