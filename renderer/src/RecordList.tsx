import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp } from './store';
import { allows } from '../../shared/permissions/effective';
import { resourceForWrite } from '../../shared/permissions/write';
import type { Output } from '../../shared/ipc/contract';
import { starterCell, type Values } from '../../shared/domain';

type Row = Output<'content.records'>[number];
const PAGE = 100;

/** A virtualized list: only the visible rows exist in the DOM; pages load as they scroll in. */
export function RecordList() {
  const { bridge, env, modelId, recordId, revision, set, permissions, models, status: session } = useApp();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<'' | 'draft' | 'published' | 'updated'>('');
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<Map<number, Row[]>>(new Map());
  const loading = useRef(new Set<number>());
  const parent = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!bridge || !env || !modelId) return;
    loading.current.clear();
    setPages(new Map());
    void bridge.invoke('content.count', { env, model: modelId, ...(search ? { search } : {}), ...(status ? { status } : {}) }).then((r) => r.ok && setTotal(r.value.total));
  }, [bridge, env, modelId, search, status, revision]);

  const [createError, setCreateError] = useState<string | null>(null);
  const model = models.find((m) => m.id === modelId);
  const envPerms = env ? permissions?.environments[env] : undefined;
  const defaultLocale = session?.account?.locales[0] ?? 'en';
  // Required text fields (structured text too) start as "Untitled" so that a new record is valid; the rest starts empty.
  const starter = Object.fromEntries(
    (model?.fields ?? [])
      .filter((f) => f.required && starterCell(f.type) !== undefined)
      .map((f) => [f.apiKey, f.localized ? { [defaultLocale]: starterCell(f.type) } : starterCell(f.type)]),
  ) as Values;
  const starterCells = (model?.fields ?? [])
    .filter((f) => Object.hasOwn(starter, f.apiKey))
    .map((f) => ({ field: f.apiKey, localized: f.localized, locale: f.localized ? defaultLocale : null }));
  const need = env && envPerms && model ? resourceForWrite({ kind: 'create', environment: { id: env, primary: envPerms.primary }, model: model.id, createdLocally: true, createdBy: null, cells: starterCells }) : null;
  const canCreate = !!(session?.signedIn && need && permissions && allows(permissions, need.action, need.resource));
  async function create() {
    const r = await bridge!.invoke('content.create', { env: env!, model: model!.id, values: starter });
    if (!r.ok) return setCreateError(r.error.message);
    setCreateError(null);
    set({ recordId: r.value.id, revision: revision + 1 });
    await useApp.getState().refreshStatus();
  }

  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => parent.current, estimateSize: () => 36, overscan: 12 });
  const items = virtualizer.getVirtualItems();

  useEffect(() => {
    if (!bridge || !env || !modelId) return;
    for (const page of new Set(items.map((i) => Math.floor(i.index / PAGE)))) {
      if (pages.has(page) || loading.current.has(page)) continue;
      loading.current.add(page);
      void bridge
        .invoke('content.records', { env, model: modelId, limit: PAGE, offset: page * PAGE, ...(search ? { search } : {}), ...(status ? { status } : {}) })
        .then((r) => r.ok && setPages((prev) => new Map(prev).set(page, r.value)));
    }
  }, [items, bridge, env, modelId, search, status, pages]);

  return (
    <section className="records" aria-label="Records">
      <div className="filters">
        <input type="search" aria-label="Search records" placeholder="Search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <select aria-label="Status filter" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">All statuses</option>
          <option value="draft">Draft</option>
          <option value="published">Published</option>
          <option value="updated">Updated</option>
        </select>
        <span className="count" aria-live="polite">
          {total} records
        </span>
        {canCreate && <button onClick={() => void create()}>New {model?.name}</button>}
      </div>
      {createError && (
        <p role="alert" className="error">
          {createError}
        </p>
      )}
      <div
        ref={parent}
        className="scroller"
        role="listbox"
        aria-label="Record list"
        tabIndex={0}
        onKeyDown={(e) => {
          // Arrow keys move the selection; the list scrolls to keep it in view.
          if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
          e.preventDefault();
          const all = [...pages.entries()].sort(([a], [b]) => a - b).flatMap(([, rows]) => rows);
          const at = all.findIndex((r) => r.id === recordId);
          const next = all[Math.max(0, Math.min(all.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)))];
          if (next) {
            set({ recordId: next.id });
            virtualizer.scrollToIndex(all.indexOf(next));
          }
        }}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = pages.get(Math.floor(item.index / PAGE))?.[item.index % PAGE];
            return (
              <div
                key={item.key}
                role="option"
                aria-selected={row?.id === recordId}
                tabIndex={-1}
                className={`row ${row?.id === recordId ? 'selected' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: item.size, transform: `translateY(${item.start}px)` }}
                onClick={() => row && set({ recordId: row.id })}
                onKeyDown={(e) => e.key === 'Enter' && row && set({ recordId: row.id })}
              >
                {row ? (
                  <>
                    <span className="title">{row.title || row.id}</span>
                    <span className={`badge ${row.status}`}>{row.status}</span>
                    {row.local !== 'none' && <span className="badge local">{row.local === 'created' ? 'new, not synced' : row.local === 'flagged' ? 'needs attention' : 'edited'}</span>}
                    {row.conflicts > 0 && <span className="badge conflict">conflict</span>}
                  </>
                ) : (
                  <span className="placeholder">…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
