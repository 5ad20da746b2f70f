import type { Json, Values } from '../../shared/domain';

/**
 * The cells the model writes, per model: localized and not, required and not. The article
 * body is structured text (one DAST cell, merged like any other): the model writes it only at
 * create, and its plain-string markers go to the text cells.
 */
export const CELLS = {
  article: ['title.en', 'title.fr', 'slug'],
  author: ['name', 'bio.en', 'bio.fr'],
} as const;
export type ModelId = keyof typeof CELLS;
/** Cells whose emptying the server refuses at publish (required), which the model uses to provoke a refusal. */
export const REQUIRED = new Set(['title.en', 'name']);

export const ROLES = ['editor', 'translator-fr', 'media-manager', 'sandbox-developer'] as const;
export type RoleId = (typeof ROLES)[number];

export interface Tracked {
  id: string;
  model: ModelId;
  /** Made by this core (a content.create it acknowledged), with a value found nowhere else. */
  marker: string | null;
  /** The user pressed delete and the core acknowledged it. */
  deleted: boolean;
}

/** An edit the core acknowledged ("saved on this computer"): from then on it may never vanish. */
export interface AckedEdit {
  id: string;
  cell: string;
  value: Json;
  /** The record's server version when the edit was acknowledged: reaching the server means a later version. */
  serverVersion: number;
  what: string;
}

export type Intent = { kind: 'publish'; values: Values; what: string } | { kind: 'unpublish' | 'delete'; what: string };

export interface AckedUpload {
  id: string;
  folder: string;
  sha256: string;
  what: string;
}

/** What the test knows the user did and the core acknowledged; the system is judged against it. */
export class ModelState {
  readonly records: Tracked[] = [];
  /** The latest acknowledged edit of each cell, by `id|cell`. */
  readonly edits = new Map<string, AckedEdit>();
  /** Every value snapshot taken at an acknowledged publish press, per record. */
  readonly snapshots = new Map<string, Values[]>();
  /** Acknowledged publish / unpublish presses per record: the server may not apply more. */
  readonly presses = new Map<string, { publish: number; unpublish: number }>();
  /** The last acknowledged publish / unpublish / delete of each record. */
  readonly intents = new Map<string, Intent>();
  readonly uploads: AckedUpload[] = [];
  /** Bytes of earlier uploads, to queue the same file again (dedupe). */
  readonly uploadBytes: Buffer[] = [];
  role: RoleId = 'editor';
  online = true;
  /** Commands run so far, for the failure report. */
  readonly log: string[] = [];
  private n = 0;

  constructor(readonly run: number) {}

  /** A value seen nowhere else, valid in every cell the model writes (slugs included). */
  fresh(who: 'm' | 'r'): string {
    return `${who}-${this.run}-${++this.n}`;
  }

  live(): Tracked[] {
    return this.records.filter((r) => !r.deleted);
  }

  ack(e: AckedEdit): void {
    this.edits.set(`${e.id}|${e.cell}`, e);
  }

  /** The user chose to drop these edits (take theirs, discard, delete): they no longer have to survive. */
  retire(id: string, cell?: string): void {
    for (const k of [...this.edits.keys()]) if (k.startsWith(`${id}|`) && (cell === undefined || k === `${id}|${cell}`)) this.edits.delete(k);
  }

  /** A record re-created under a new id (keep mine on a record deleted on the server): its edits moved. */
  move(from: string, to: string): void {
    const old = this.records.find((r) => r.id === from);
    if (old) {
      old.deleted = true;
      this.records.push({ id: to, model: old.model, marker: null, deleted: false });
    }
    for (const [k, e] of [...this.edits]) {
      if (e.id !== from) continue;
      this.edits.delete(k);
      this.ack({ ...e, id: to, serverVersion: 0 });
    }
  }

  press(id: string, kind: 'publish' | 'unpublish'): void {
    const p = this.presses.get(id) ?? { publish: 0, unpublish: 0 };
    p[kind]++;
    this.presses.set(id, p);
  }
}

/** One cell of a values map (`title.en`, `slug`); null when absent. */
export function cellOf(values: Values | null | undefined, cell: string): Json {
  if (!values) return null;
  const [field, locale] = cell.split('.') as [string, string | undefined];
  const v = values[field];
  if (locale === undefined) return v ?? null;
  return v && typeof v === 'object' && !Array.isArray(v) ? ((v as Record<string, Json>)[locale] ?? null) : null;
}

/** Whether a values map (a draft) holds the cell at all, even as null. */
export function hasCell(values: Values, cell: string): boolean {
  const [field, locale] = cell.split('.') as [string, string | undefined];
  if (!(field in values)) return false;
  const v = values[field];
  return locale === undefined || (!!v && typeof v === 'object' && !Array.isArray(v) && locale in v);
}

export function patchFor(cell: string, value: Json): Values {
  const [field, locale] = cell.split('.') as [string, string | undefined];
  return { [field]: locale === undefined ? value : { [locale]: value } };
}

/** Values compared as the user sees them: empty cells (null, missing, {}) are the same thing. */
export function canonical(v: Json | Values | undefined): string {
  const clean = (x: unknown): unknown => {
    if (x === null || x === undefined) return undefined;
    if (Array.isArray(x)) return x.map(clean);
    if (typeof x === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) {
        const c = clean((x as Record<string, unknown>)[k]);
        if (c !== undefined) out[k] = c;
      }
      return Object.keys(out).length ? out : undefined;
    }
    return x;
  };
  return JSON.stringify(clean(v) ?? null);
}

export const sameValue = (a: Json | Values | undefined, b: Json | Values | undefined): boolean => canonical(a) === canonical(b);
