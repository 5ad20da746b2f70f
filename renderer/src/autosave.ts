/**
 * Edits typed but not yet in the local cache. Each cell's edit waits a moment for more
 * keystrokes, then goes to the cache; typing that never pauses still reaches it every
 * MAX_WAIT_MS, so a crash costs at most that much typing. The status may say "saved" only
 * when nothing waits and nothing is in flight, and a sync first flushes what waits, so
 * "Synced" never leaves a typed edit behind.
 */
type Save = () => Promise<void>;

/** The longest an edit waits while keystrokes keep coming (VS Code's default auto-save delay). */
export const MAX_WAIT_MS = 1000;

const waiting = new Map<string, { timer: ReturnType<typeof setTimeout>; save: Save; since: number }>();
const inFlight = new Set<Promise<void>>();
const listeners = new Set<(busy: boolean) => void>();

export const autosaveBusy = (): boolean => waiting.size > 0 || inFlight.size > 0;

function notify(): void {
  for (const l of listeners) l(autosaveBusy());
}

function run(key: string): Promise<void> {
  const w = waiting.get(key);
  if (!w) return Promise.resolve();
  clearTimeout(w.timer);
  waiting.delete(key);
  const p = w.save().finally(() => {
    inFlight.delete(p);
    notify();
  });
  inFlight.add(p);
  return p;
}

/** Queues the edit of one cell (key: environment, record and cell); a newer edit of the same cell replaces it. */
export function scheduleSave(key: string, save: Save, delayMs = 250): void {
  const prev = waiting.get(key);
  if (prev) clearTimeout(prev.timer);
  const since = prev?.since ?? Date.now();
  const wait = Math.max(0, Math.min(delayMs, since + MAX_WAIT_MS - Date.now()));
  waiting.set(key, { timer: setTimeout(() => void run(key), wait), save, since });
  notify();
}

/** Sends every waiting edit to the cache now and waits for all of them. */
export async function flushSaves(): Promise<void> {
  await Promise.all([...[...waiting.keys()].map(run), ...inFlight]);
}

export function onAutosave(listener: (busy: boolean) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
