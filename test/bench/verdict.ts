/** A figure against its target, said on its line: "✓" or "MISSES TARGET". */
export const verdict = (ok: boolean): string => (ok ? '✓' : 'MISSES TARGET');
