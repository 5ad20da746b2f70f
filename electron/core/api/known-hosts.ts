import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

const entrySchema = z.object({ fingerprint: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/), subject: z.string(), addedAt: z.string() });
const fileSchema = z.record(z.string(), entrySchema);
export type KnownHost = z.infer<typeof entrySchema>;

/**
 * Server certificates the user confirmed, by origin, like SSH's known_hosts. Fingerprints are
 * not secrets; the file is written atomically so a crash never leaves half of it.
 */
export class KnownHosts {
  private entries: Record<string, KnownHost>;
  constructor(private readonly file: string) {
    this.entries = existsSync(file) ? fileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) : {};
  }

  get(origin: string): KnownHost | undefined {
    return this.entries[origin];
  }

  trust(origin: string, fingerprint: string, subject = ''): void {
    this.entries = { ...this.entries, [origin]: { fingerprint: fingerprint.toUpperCase(), subject, addedAt: new Date().toISOString() } };
    this.save();
  }

  forget(origin: string): void {
    const { [origin]: _gone, ...rest } = this.entries;
    this.entries = rest;
    this.save();
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.entries, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
