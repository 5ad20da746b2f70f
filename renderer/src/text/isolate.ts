/** Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko…, their presentation forms) and the bidi controls. */
const BIDI = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/**
 * A name someone else typed, set apart from the sentence around it (Unicode's first-strong
 * isolate, U+2068 … U+2069). Without it, a title holding a right-to-left override (U+202E)
 * reversed the rest of the sentence it was quoted in, "Delete “…”?" included (persona walk);
 * inside the isolate the override ends at its close. A name with nothing right-to-left in it
 * orders the same either way, so it is left as typed (and so is the accessible name it makes).
 * In markup, `<bdi>` does the same.
 */
export const isolate = (name: string): string => (BIDI.test(name) ? `\u2068${name}\u2069` : name);
