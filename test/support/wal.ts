import { closeSync, openSync, readSync } from 'node:fs';

/** `size` bytes of a file at `offset`. */
function readAt(file: string, offset: number, size: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(size);
    readSync(fd, b, 0, size, offset);
    return b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Frames in a store's WAL now: mxFrame of the WAL-index header (the `-shm` file, native byte
 * order, at byte 16). Not the WAL's size on disk: the store gives its WAL its space at open
 * (wal-space.ts), so the file's size says nothing of what was written.
 */
export const walFrames = (file: string): number => readAt(`${file}-shm`, 16, 4).readUInt32LE(0);

/** The WAL header's salt-1 (bytes 16-19, big-endian): SQLite changes it each time it starts the WAL over. */
export const walSalt = (file: string): number => readAt(`${file}-wal`, 16, 4).readUInt32BE(0);
