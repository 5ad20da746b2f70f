import fc from 'fast-check';
import { ALL_COMMANDS, commandArbitraries, type CommandName } from './commands';
import { Harness } from './sut';

export interface ModelRunOptions {
  runs: number;
  maxCommands: number;
  seed: number;
  /** fast-check's replay path (printed with a failure) to go straight to the failing sequence. */
  path?: string;
  /** Shrink a failure to a minimal sequence (slow: each try is a real run); off by default. */
  shrink?: boolean;
  commands?: readonly CommandName[];
  log?: (line: string) => void;
}

export interface ModelRunStats {
  sequences: number;
  commands: number;
  ms: number;
  failure: string | null;
  faults: { serverRestarts: number; coreRestarts: number; killsMidSync: number; answersDropped: number; requestsCut: number };
}

/** Commands that, when left out, say so; the default set is all of issue 10's. */
export const DEFAULT_COMMANDS = Object.keys(ALL_COMMANDS) as CommandName[];

/**
 * The options from the environment: INKSTONE_MODEL_SEED / _PATH / _RUNS / _COMMANDS / _SHRINK
 * replay or widen a run; INKSTONE_MODEL_SKIP=a,b replaces the commands left out ('' for none).
 */
export function optionsFromEnv(defaults: { runs: number; maxCommands: number; skip?: readonly CommandName[] }): ModelRunOptions {
  const env = process.env;
  const skip = env['INKSTONE_MODEL_SKIP'] !== undefined ? env['INKSTONE_MODEL_SKIP'].split(',') : (defaults.skip ?? []);
  return {
    runs: Number(env['INKSTONE_MODEL_RUNS'] ?? defaults.runs),
    maxCommands: Number(env['INKSTONE_MODEL_COMMANDS'] ?? defaults.maxCommands),
    seed: env['INKSTONE_MODEL_SEED'] ? Number(env['INKSTONE_MODEL_SEED']) : Math.floor(Math.random() * 2 ** 31),
    path: env['INKSTONE_MODEL_PATH'] || undefined,
    shrink: env['INKSTONE_MODEL_SHRINK'] === '1',
    commands: DEFAULT_COMMANDS.filter((c) => !skip.includes(c)),
  };
}

/** Runs sequences of commands against one harness; the seed is printed first, so any failure replays. */
export async function runModel(o: ModelRunOptions, shared?: Harness): Promise<ModelRunStats> {
  const log = o.log ?? ((l: string) => console.log(l));
  const skipped = DEFAULT_COMMANDS.filter((c) => !(o.commands ?? DEFAULT_COMMANDS).includes(c));
  log(`model: seed ${o.seed}${o.path ? ` path ${o.path}` : ''}, ${o.runs} sequences of up to ${o.maxCommands} commands${skipped.length ? `, without ${skipped.join(', ')}` : ''} (replay: INKSTONE_MODEL_SEED=${o.seed})`);
  const harness = shared ?? (await Harness.start());
  const stats: ModelRunStats = { sequences: 0, commands: 0, ms: 0, failure: null, faults: { ...harness.world.faults } };
  const started = Date.now();
  try {
    const prop = fc.asyncProperty(fc.commands(commandArbitraries(o.commands ?? DEFAULT_COMMANDS), { maxCommands: o.maxCommands }), async (cmds) => {
      const sut = await harness.sequence();
      stats.sequences++;
      try {
        await fc.asyncModelRun(() => ({ model: sut.state, real: sut }), cmds);
        await sut.heal();
      } finally {
        stats.commands += sut.state.log.filter((l) => !l.startsWith('--')).length;
        if (process.env['INKSTONE_MODEL_DEBUG']) log(sut.state.log.join('\n  '));
        harness.endSequence(sut);
        await sut.core.dispose();
      }
    });
    const result = await fc.check(prop, { numRuns: o.runs, seed: o.seed, path: o.path, endOnFailure: !o.shrink });
    if (result.failed) {
      const err = result.errorInstance instanceof Error ? (result.errorInstance.stack ?? result.errorInstance.message) : String(result.errorInstance);
      stats.failure = `${fc.defaultReportMessage(result) ?? 'failed'}\n${err}\nreplay: INKSTONE_MODEL_SEED=${o.seed} INKSTONE_MODEL_PATH=${result.counterexamplePath}`;
    }
  } finally {
    for (const k of Object.keys(stats.faults) as (keyof ModelRunStats['faults'])[]) stats.faults[k] = harness.world.faults[k] - stats.faults[k];
    stats.ms = Date.now() - started;
    if (!shared) await harness.stop();
  }
  return stats;
}
