import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';

/**
 * Maps a URL path to a file inside `root`, or null when it would leave it: `..` segments,
 * encoded separators, NUL bytes, absolute or drive paths. Used by the app protocol and the
 * browser host alike.
 */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split(/[?#]/)[0] ?? '');
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || /(^|\/)\.\.(\/|$)/.test(decoded)) return null;
  const rel = normalize(decoded.replace(/^\/+/, '')) || 'index.html';
  if (isAbsolute(rel) || /^[a-zA-Z]:/.test(rel)) return null;
  const base = resolve(root);
  const target = resolve(base, rel === '.' ? 'index.html' : rel);
  const r = relative(base, target);
  if (r.startsWith('..') || isAbsolute(r) || r.split(sep).includes('..')) return null;
  return target;
}
