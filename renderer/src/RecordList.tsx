import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useApp } from './store';
import { allows } from '../../shared/permissions/effective';
import { resourceForWrite } from '../../shared/permissions/write';
import type { Output } from '../../shared/ipc/contract';
import { useCommands, type Command } from './ui/commands';
import { statusPill } from './editor/EditorHeader';
import { useWorkingLocale } from './editor/workingLocale';
import './editor/editor.css';

type Row = Output<'content.records'>[number];
const PAGE = 100;
const optionId = (id: string) => `record-option-${id}`.replace(/[^A-Za-z0-9_-]/g, '_');

/**
 * A virtualized listbox: only the visible rows exist in the DOM; pages load as they scroll in.
 * Focus stays on the list; aria-activedescendant names the selected row (arrows, Home, End
 * move it and open that record; Enter moves into the editor).
 */
/**
 * Into the open record's first writable field. The record Home/End just opened may still be
 * loading (its form not yet there, more so on a busy machine), so look again for a few frames.
 */
function focusFirstField(frames = 60): void {
  const el = document.querySelector<HTMLElement>('.editor .fields input:not([readonly]), .editor .fields textarea:not([readonly])');
  if (el) el.focus();
  else if (frames > 0) requestAnimationFrame(() => focusFirstField(frames - 1));
}

export function RecordList() {
  const { bridge, env, modelId, recordId, revision, set, permissions, models, status: session } = useApp();
  const working = useWorkingLocale((s) => s.locale);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<'' | 'draft' | 'published' | 'updated'>('');
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<Map<number, Row[]>>(new Map());
  const loading = useRef(new Set<number>());
  const parent = useRef<HTMLDivElement>(null);
  const locales = session?.account?.locales.length ? session.account.locales : ['en'];
  const locale = working ?? locales[0]!;

  const pagesRef = useRef(pages);
  pagesRef.current = pages;
  // Another model, search or filter: the list starts over.
  useEffect(() => {
    if (!bridge || !env || !modelId) return;
    loading.current.clear();
    setPages(new Map());
  }, [bridge, env, modelId, search, status]);
  // Content moved (a sync, a save): the count and the rows shown are read again in place. Cleared
  // instead, every row blanked for a moment after each typing pause, and a click then missed.
  useEffect(() => {
    if (!bridge || !env || !modelId) return;
    const filter = { env, model: modelId, ...(search ? { search } : {}), ...(status ? { status } : {}) };
    void bridge.invoke('content.count', filter).then((r) => r.ok && setTotal(r.value.total));
    for (const page of pagesRef.current.keys()) {
      void bridge.invoke('content.records', { ...filter, limit: PAGE, offset: page * PAGE }).then((r) => r.ok && setPages((prev) => new Map(prev).set(page, r.value)));
    }
  }, [bridge, env, modelId, search, status, revision]);

  const [createError, setCreateError] = useState<string | null>(null);
  const model = models.find((m) => m.id === modelId);
  const envPerms = env ? permissions?.environments[env] : undefined;
  // A new record starts empty: a draft may be incomplete; the editor says what publishing needs.
  const need = env && envPerms && model ? resourceForWrite({ kind: 'create', environment: { id: env, primary: envPerms.primary }, model: model.id, createdLocally: true, createdBy: null, cells: [] }) : null;
  const canCreate = !!(session?.signedIn && need && permissions && allows(permissions, need.action, need.resource));
  async function create() {
    const r = await bridge!.invoke('content.create', { env: env!, model: model!.id, values: {} });
    if (!r.ok) return setCreateError(r.error.message);
    setCreateError(null);
    set({ recordId: r.value.id, revision: useApp.getState().revision + 1 });
    await useApp.getState().refreshStatus();
    setTimeout(() => document.querySelector<HTMLElement>('.editor .fields input, .editor .fields textarea')?.focus(), 50);
  }

  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => parent.current, estimateSize: () => 44, overscan: 12 });
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

  const loaded = useMemo(() => [...pages.entries()].sort(([a], [b]) => a - b).flatMap(([, rows]) => rows), [pages]);
  const titleOf = (row: Row) => {
    const own = row.titles[locale];
    if (own) return { text: own, from: null };
    const [from, text] = Object.entries(row.titles)[0] ?? [null, ''];
    return { text, from };
  };

  const commands = useMemo<Command[]>(() => {
    const out: Command[] = [];
    if (canCreate && model) out.push({ id: `records.new.${model.id}`, label: `New ${model.name}`, group: 'Actions', run: () => void create() });
    for (const row of loaded.slice(0, 200)) {
      const t = row.titles[locale] ?? row.title;
      out.push({ id: `records.open.${row.id}`, label: t || 'Untitled', group: 'Records', keywords: [row.id, model?.name ?? ''], run: () => set({ recordId: row.id }) });
    }
    return out;
    // create() reads the current state when run: not a dependency, or it would re-register on every render.
  }, [canCreate, model, loaded, locale, set]);
  useCommands('records', commands);

  function move(to: number) {
    const next = loaded[Math.max(0, Math.min(loaded.length - 1, to))];
    if (!next) return;
    set({ recordId: next.id });
    virtualizer.scrollToIndex(loaded.indexOf(next));
  }

  const at = loaded.findIndex((r) => r.id === recordId);
  return (
    <section className="records" aria-label="Records">
      <div className="filters toolbar">
        <input className="input" type="search" aria-label="Search records" placeholder="Search" value={search} onChange={(e) => setSearch(e.target.value)} />
        <select className="input" aria-label="Status filter" value={status} onChange={(e) => setStatus(e.target.value as typeof status)}>
          <option value="">All statuses</option>
          <option value="draft">Draft</option>
          <option value="published">Published</option>
          <option value="updated">Updated</option>
        </select>
        <span className="count muted" aria-live="polite">
          {total} {total === 1 ? 'record' : 'records'}
        </span>
        {canCreate && (
          <button className="btn primary" onClick={() => void create()}>
            New {model?.name}
          </button>
        )}
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
        aria-activedescendant={at >= 0 ? optionId(loaded[at]!.id) : undefined}
        onKeyDown={(e) => {
          const keys: Record<string, () => void> = {
            ArrowDown: () => move(at + 1),
            ArrowUp: () => move(at < 0 ? 0 : at - 1),
            Home: () => move(0),
            End: () => move(loaded.length - 1),
            Enter: () => focusFirstField(),
          };
          const run = keys[e.key];
          if (!run) return;
          e.preventDefault();
          run();
        }}
      >
        <div className="rows" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = pages.get(Math.floor(item.index / PAGE))?.[item.index % PAGE];
            const t = row ? titleOf(row) : null;
            return (
              <div
                key={item.key}
                id={row ? optionId(row.id) : undefined}
                role="option"
                aria-selected={row?.id === recordId}
                className={`row ${row?.id === recordId ? 'selected' : ''}`}
                style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                onClick={() => row && set({ recordId: row.id })}
              >
                {row && t ? (
                  <>
                    <span className={`title${t.text ? '' : ' muted'}`}>
                      <bdi>{t.text || 'Untitled'}</bdi>
                      {t.from && <span className="fallback"> ({t.from})</span>}
                    </span>
                    <span className="pills">
                      {statusPill(row).map((p) => (
                        <span key={p.text} className={`pill ${p.tone}`}>
                          {p.text}
                        </span>
                      ))}
                    </span>
                  </>
                ) : (
                  <span className="placeholder muted">…</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
