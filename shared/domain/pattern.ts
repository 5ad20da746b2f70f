import { RE2JS } from 're2js';

/**
 * User-supplied patterns (a field's `validators.format`) run in RE2 (re2js, pure JS), whose
 * time grows linearly with pattern size × input length: no pattern and input can backtrack
 * for seconds as `new RegExp` can. Both factors are bounded, so one check stays within a
 * few milliseconds: a pattern may compile to at most MAX_PATTERN_INSTRUCTIONS, and a value
 * is checked only up to FORMAT_CHECK_BUDGET / instructions characters (never fewer than
 * FORMAT_MIN_INPUT); a longer value is refused, not checked in part.
 */
export const MAX_PATTERN_INSTRUCTIONS = 300;
export const FORMAT_CHECK_BUDGET = 300_000;
export const FORMAT_MIN_INPUT = 1_000;

export interface FormatPattern {
  /** Whether the pattern matches somewhere in `input` (RegExp.test semantics). */
  test(input: string): boolean;
  /** The longest value this pattern is run on. */
  maxInput: number;
}

type Compiled = { ok: true; pattern: FormatPattern } | { ok: false; problem: string };

// Compiling costs far more than matching; models are re-read per request, so keep the
// compiled patterns by text (bounded: cleared when full).
const cache = new Map<string, Compiled>();
const CACHE_MAX = 1_000;

function compile(source: string): Compiled {
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(source));
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
    return { ok: false, problem: `is not a pattern RE2 can run (${why}); backreferences and lookaround are not supported` };
  }
  const instructions = (re.re2().prog as { numInst(): number }).numInst();
  if (instructions > MAX_PATTERN_INSTRUCTIONS) {
    return {
      ok: false,
      problem: `is too complex (${instructions} RE2 instructions, at most ${MAX_PATTERN_INSTRUCTIONS}); use the length validator for counts`,
    };
  }
  const maxInput = Math.max(FORMAT_MIN_INPUT, Math.floor(FORMAT_CHECK_BUDGET / instructions));
  return { ok: true, pattern: { test: (input) => re.test(input), maxInput } };
}

function compiled(source: string): Compiled {
  let c = cache.get(source);
  if (!c) {
    if (cache.size >= CACHE_MAX) cache.clear();
    c = compile(source);
    cache.set(source, c);
  }
  return c;
}

/** Why a pattern may not be a field's format, or null when it may. */
export function formatPatternProblem(source: string): string | null {
  const c = compiled(source);
  return c.ok ? null : c.problem;
}

/**
 * Checks a value against a format: null when it passes, else the message to show. A
 * pattern stored before it was checked at creation and that RE2 cannot run fails closed.
 */
export function formatProblem(source: string, value: string): string | null {
  const c = compiled(source);
  if (!c.ok) return `cannot be checked: the field's format ${c.problem}`;
  if (value.length > c.pattern.maxInput) return `is too long to check against the field's format (at most ${c.pattern.maxInput} characters)`;
  return c.pattern.test(value) ? null : `must match ${source}`;
}
