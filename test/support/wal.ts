import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Frames in a store's WAL now: mxFrame of the WAL-index header (the `-shm` file, native byte
 * order, at byte 16). Not the WAL's size on disk: the store gives its WAL its space at open
 * (wal-space.ts), so the file's size says nothing of what was written.
 */
export function walFrames(file: string): number {
  const fd = openSync(`${file}-shm`, 'r');
  try {
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, 16);
    return b.readUInt32LE(0);
  } finally {
    closeSync(fd);
  }
}
