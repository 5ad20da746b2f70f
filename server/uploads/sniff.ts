import { createReadStream } from 'node:fs';
import { fileTypeFromBuffer } from 'file-type';

/**
 * The upload allow-list (DESIGN §6): a declared type is accepted only when it is on this list
 * and the bytes agree. Binary types must be *detected* as one of the listed types; anything
 * else (SVG, HTML, XML, scripts, archives, executables, unknown bytes) is refused.
 */
const BINARY_TYPES: Readonly<Record<string, readonly string[]>> = {
  'image/png': ['image/png'],
  'image/jpeg': ['image/jpeg'],
  'image/gif': ['image/gif'],
  'image/webp': ['image/webp'],
  'image/avif': ['image/avif'],
  'image/bmp': ['image/bmp'],
  'image/tiff': ['image/tiff'],
  'image/heic': ['image/heic'],
  'application/pdf': ['application/pdf'],
  'video/mp4': ['video/mp4'],
  'video/webm': ['video/webm'],
  'video/quicktime': ['video/quicktime'],
  'video/ogg': ['video/ogg'],
  'audio/mpeg': ['audio/mpeg'],
  'audio/ogg': ['audio/ogg', 'audio/ogg; codecs=opus'],
  'audio/wav': ['audio/wav'],
  'audio/webm': ['video/webm', 'audio/webm'],
  'audio/mp4': ['audio/mp4', 'audio/x-m4a', 'video/mp4'],
  'audio/aac': ['audio/aac'],
  'audio/flac': ['audio/flac'],
};

/** Types with no magic number: accepted as text only when the whole file is UTF-8 text without markup. */
const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'text/markdown', 'application/json']);

/**
 * Markup a browser or a Markdown renderer would act on: a tag, a comment, a processing
 * instruction or a doctype opening. A Markdown autolink (`<https://…>`, `<mailto:…>`) is
 * not markup.
 */
const MARKUP = /<(?!(?:https?:\/\/|mailto:)[^\s<>]*>)[a-z!?/]/i;
/** Longest stretch a MARKUP match can span, so a scan across chunks misses none. */
const CARRY = 64;

export const ACCEPTED_UPLOAD_TYPES: readonly string[] = [...Object.keys(BINARY_TYPES), ...TEXT_TYPES];

async function textProblem(path: string): Promise<string | null> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
      const text = carry + decoder.decode(chunk as Buffer, { stream: true });
      if (text.includes('\0')) return 'text content holds NUL bytes: not plain text';
      if (MARKUP.test(text)) return 'text content carries markup (<tag>, <!…>, <?…>), which is not accepted';
      carry = text.slice(-CARRY);
    }
    decoder.decode();
  } catch (e) {
    if (e instanceof TypeError) return 'text content is not valid UTF-8';
    throw e;
  }
  return null;
}

/**
 * Checks an upload against its declared type: `head` is the first bytes, `path` the whole
 * received file. Returns a problem, or null when the file may be stored.
 */
export async function sniffProblem(file: { head: Buffer; path: string }, declared: string): Promise<string | null> {
  const binary = BINARY_TYPES[declared];
  if (!binary && !TEXT_TYPES.has(declared)) {
    return `files of type ${declared} are not accepted (accepted: images, PDF, plain text, video and audio)`;
  }
  const detected = await fileTypeFromBuffer(file.head);
  if (binary) {
    if (!detected) return `content does not look like ${declared}`;
    return binary.includes(detected.mime) ? null : `content is ${detected.mime} but was declared as ${declared}`;
  }
  if (detected) return `content is ${detected.mime} but was declared as ${declared}`;
  return textProblem(file.path);
}
