import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

/**
 * Content-addressed storage: a file lives at files/ab/<sha256>, so no user-chosen name ever
 * becomes a path, and the same bytes are stored once.
 */
export class FileStore {
  constructor(private readonly root: string) {
    mkdirSync(root, { recursive: true, mode: 0o700 });
    // 0700 whatever an older server or a copy left behind: the files are the project's.
    chmodSync(root, 0o700);
    // Crash recovery: a temp file is an upload that never finished; none outlives a restart.
    rmSync(join(root, 'tmp'), { recursive: true, force: true });
    mkdirSync(join(root, 'tmp'), { mode: 0o700 });
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error('not a sha256');
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.pathOf(sha256));
  }

  /**
   * Streams a body to a temporary file, hashing and counting as it goes; stops at `maxBytes`.
   * The caller decides, from size and hash, whether to `commit` or `discard` it. If the body
   * fails (an aborted request) or the disk does, the temp file is removed before the error
   * goes on: no path leaves it behind.
   */
  async receive(body: Readable, maxBytes: number): Promise<{ tmp: string; size: number; sha256: string; head: Buffer; overLimit: boolean }> {
    const tmp = join(this.root, 'tmp', randomBytes(16).toString('hex'));
    const hash = createHash('sha256');
    const out = createWriteStream(tmp, { mode: 0o600 });
    let writeError: Error | null = null;
    out.on('error', (e) => (writeError = e));
    let size = 0;
    let overLimit = false;
    const headChunks: Buffer[] = [];
    let headLen = 0;
    try {
      for await (const chunk of body) {
        const buf = chunk as Buffer;
        size += buf.length;
        if (size > maxBytes) {
          overLimit = true;
          break;
        }
        if (headLen < 4100) {
          headChunks.push(buf);
          headLen += buf.length;
        }
        hash.update(buf);
        if (writeError) throw writeError;
        if (!out.write(buf)) {
          await new Promise<void>((resolve, reject) => {
            const done = (err?: Error) => {
              out.off('drain', done).off('error', done);
              if (err) reject(err);
              else resolve();
            };
            out.on('drain', done).on('error', done);
          });
        }
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    } catch (e) {
      out.destroy();
      await new Promise<void>((r) => (out.closed ? r() : out.once('close', () => r())));
      rmSync(tmp, { force: true });
      throw e;
    }
    return { tmp, size, sha256: hash.digest('hex'), head: Buffer.concat(headChunks).subarray(0, 4100), overLimit };
  }

  commit(tmp: string, sha256: string): void {
    const dest = this.pathOf(sha256);
    mkdirSync(join(dest, '..'), { recursive: true, mode: 0o700 });
    if (existsSync(dest)) rmSync(tmp, { force: true });
    else renameSync(tmp, dest);
  }

  /** Stores bytes already in memory (the demo seed). */
  put(sha256: string, bytes: Buffer): void {
    const dest = this.pathOf(sha256);
    if (existsSync(dest)) return;
    mkdirSync(join(dest, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(dest, bytes, { mode: 0o600 });
  }

  discard(tmp: string): void {
    rmSync(tmp, { force: true });
  }
}
