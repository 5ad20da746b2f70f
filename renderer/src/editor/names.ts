import { useEffect, useState } from 'react';
import { useApp } from '../store';

/** Names looked up in this window: asked once per id, kept (they also come back offline from the core). */
const cache = new Map<string, string>();

/** Display names for author ids (versions, last change, conflicts); an id not known yet is absent. */
export function useNames(ids: readonly (string | null | undefined)[]): ReadonlyMap<string, string> {
  const bridge = useApp((s) => s.bridge);
  const wanted = [...new Set(ids.filter((x): x is string => !!x))].sort().join(',');
  const [, setTick] = useState(0);
  useEffect(() => {
    const missing = wanted ? wanted.split(',').filter((id) => !cache.has(id)) : [];
    if (!bridge || missing.length === 0) return;
    let live = true;
    void bridge.invoke('people.names', { ids: missing.slice(0, 200) }).then((r) => {
      if (!r.ok) return;
      for (const p of r.value) cache.set(p.id, p.name);
      if (live) setTick((t) => t + 1);
    });
    return () => {
      live = false;
    };
  }, [bridge, wanted]);
  return cache;
}

/** The author's name, or "someone" when it is not known (offline before it was ever looked up, or a removed member). */
export const nameOf = (names: ReadonlyMap<string, string>, id: string | null | undefined): string => (id ? (names.get(id) ?? 'someone') : 'someone');

/** "today, 14:05" for today, else the date and time: always the time, so two changes can be told apart. */
export function when(at: string | null | undefined): string {
  if (!at) return 'an unknown time';
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return 'an unknown time';
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return d.toDateString() === new Date().toDateString() ? `today, ${time}` : `${d.toLocaleDateString()}, ${time}`;
}
