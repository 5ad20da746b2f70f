import type fc from 'fast-check';
import { Refused } from './core-handle';
import { canonical, type ModelState, type Tracked } from './model';
import { seeRecord } from './observe';
import type { Sut } from './sut';

export type Cmd = fc.AsyncCommand<ModelState, Sut>;

/** A command: logs what it resolved to, runs, then every invariant is judged. */
export function command(name: string, run: (m: ModelState, s: Sut) => Promise<string | void>, check: (m: Readonly<ModelState>) => boolean = () => true): Cmd {
  return {
    check,
    run: async (m, s) => {
      const at = m.log.push(name) - 1;
      const t0 = Date.now();
      const detail = await run(m, s);
      const t1 = Date.now();
      await s.check(false);
      m.log[at] = `${name}${detail ? `: ${detail}` : ''} (${t1 - t0} ms, check ${Date.now() - t1} ms)`;
    },
    toString: () => name,
  };
}

export const pick = <T>(xs: readonly T[], i: number): T | undefined => (xs.length ? xs[i % xs.length] : undefined);
export const LOCAL_REFUSALS = new Set(['PERMISSION', 'INPUT']);

/** A local refusal must change nothing the user sees. */
export async function refusedWhole(s: Sut, t: Tracked, before: string, e: Refused | { code: string; message: string }): Promise<string> {
  const code = e instanceof Refused ? e.error.code : e.code;
  if (!LOCAL_REFUSALS.has(code)) throw e instanceof Refused ? e : new Error(`unexpected refusal ${code}: ${e.message}`);
  const after = canonical((await seeRecord(s.core, t.id))?.values);
  if (after !== before) throw new Error(`a refused write changed ${t.id}: ${before} -> ${after}`);
  return `refused ${code}`;
}

