import { fileTypeFromBuffer } from 'file-type';

/** Types with no magic number that we accept on the declared type's word. */
const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'text/markdown', 'application/json']);
/** Never served from the media library: they can carry script. */
const REFUSED = new Set(['text/html', 'application/xhtml+xml', 'image/svg+xml', 'application/javascript', 'text/javascript']);

/**
 * Checks a file's first bytes against its declared type. Returns a problem, or null.
 * A file whose bytes say one type and whose upload says another is refused.
 */
export async function sniffProblem(head: Buffer, declared: string): Promise<string | null> {
  if (REFUSED.has(declared)) return `files of type ${declared} are not accepted`;
  const detected = await fileTypeFromBuffer(head);
  if (detected) {
    if (detected.mime !== declared) return `content is ${detected.mime} but was declared as ${declared}`;
    return null;
  }
  if (TEXT_TYPES.has(declared)) {
    const text = head.toString('utf8');
    if (/<(script|html|svg|iframe)\b/i.test(text)) return 'text content carries markup that is not accepted';
    return null;
  }
  return `content does not look like ${declared}`;
}
