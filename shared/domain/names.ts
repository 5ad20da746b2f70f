/**
 * Characters no folder or file name may hold: NUL and the other C0 and C1 controls (they
 * break logs, terminals and headers), and the bidirectional overrides, embeddings, isolates
 * and marks that make "gnp.exe" read as "exe.png". One rule, used by server and client alike.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** A description of the first unsafe character in a name, or null when there is none. */
export function unsafeNameCharacter(name: string): string | null {
  const m = UNSAFE.exec(name);
  if (!m) return null;
  const code = m[0].codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) ? `a control character (${hex})` : `a bidirectional control character (${hex})`;
}

export const SAFE_NAME_MESSAGE = 'must not contain control or bidirectional-override characters';
export const isSafeName = (name: string): boolean => unsafeNameCharacter(name) === null;
