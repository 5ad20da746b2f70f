import { useEffect, useState, type KeyboardEvent } from 'react';
import { ComboBox, Input, ListBox, ListBoxItem, Popover } from 'react-aria-components';
import type { Field, Json } from '../../shared/domain';
import { useApp } from './store';

interface Option {
  id: string;
  model: string;
  title: string;
}

const ids = (value: Json): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : typeof value === 'string' && value ? [value] : []);

/**
 * A link or links field: the linked records by title, and a combobox that searches the
 * local cache (so it works offline) among the models the field may point to.
 */
export function LinkPicker({ id, field, value, readOnly, describedBy, invalid, onChange }: { id: string; field: Field; value: Json; readOnly: boolean; describedBy?: string; invalid?: boolean; onChange: (v: Json) => void }) {
  const { bridge, env, models } = useApp();
  const [titles, setTitles] = useState<Record<string, string>>({});
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<Option[]>([]);
  const [open, setOpen] = useState(false);
  const chosen = ids(value);
  const targets = field.validators.itemTypes?.length ? field.validators.itemTypes : models.map((m) => m.id);
  const readable = targets.filter((t) => models.some((m) => m.id === t));

  // Keyed by the chosen ids' text, not the array, which is new on every render.
  useEffect(() => {
    const missing = chosen.filter((c) => !(c in titles));
    if (!bridge || !env || missing.length === 0) return;
    void Promise.all(missing.map((c) => bridge.invoke('content.record', { env, id: c }))).then((rs) =>
      setTitles((t) => ({ ...t, ...Object.fromEntries(rs.map((r, i) => [missing[i]!, r.ok ? r.value.title || missing[i]! : `${missing[i]!} (not in your cache)`])) })),
    );
  }, [bridge, env, chosen.join('\n')]);

  useEffect(() => {
    if (!bridge || !env || !open) return;
    const timer = setTimeout(() => {
      void Promise.all(readable.map((model) => bridge.invoke('content.records', { env, model, search: query || undefined, limit: 8 }))).then((rs) => {
        const found = rs.flatMap((r) => (r.ok ? r.value : [])).filter((o) => !chosen.includes(o.id));
        setOptions(found.slice(0, 8).map((o) => ({ id: o.id, model: o.model, title: o.title || o.id })));
      });
    }, 150);
    return () => clearTimeout(timer);
  }, [bridge, env, open, query]);

  function pick(o: Option) {
    setTitles((t) => ({ ...t, [o.id]: o.title }));
    onChange(field.type === 'links' ? [...chosen, o.id] : o.id);
    setQuery('');
    setOpen(field.type === 'links');
  }
  function remove(c: string) {
    onChange(field.type === 'links' ? chosen.filter((x) => x !== c) : null);
  }
  // Enter with nothing highlighted takes the first match, as the search field always did.
  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key !== 'Enter' || !options[0]) return;
    if (document.querySelector(`[id="${listId}"] [data-focused]`)) return;
    e.preventDefault();
    pick(options[0]);
  }

  const listId = `${id}-options`;
  return (
    <div className="link-picker">
      <ul aria-label={`${field.label}: linked records`} className="chips">
        {chosen.map((c) => (
          <li key={c}>
            {titles[c] ?? c}
            {!readOnly && (
              <button type="button" aria-label={`Remove ${titles[c] ?? c}`} onClick={() => remove(c)}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (field.type === 'links' || chosen.length === 0 || open) && (
        <ComboBox
          aria-label={field.label}
          className="link-combobox"
          items={options}
          inputValue={query}
          onInputChange={(q) => (setQuery(q), setOpen(true))}
          selectedKey={null}
          onSelectionChange={(key) => {
            const o = options.find((x) => x.id === key);
            if (o) pick(o);
          }}
          onOpenChange={(isOpen) => isOpen && setOpen(true)}
          menuTrigger="focus"
          allowsCustomValue
        >
          <Input
            id={id}
            className="input"
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            placeholder={`Search ${readable.join(', ') || 'records'}…`}
            // "Change…" on a single link opens the search with the caret in it.
            autoFocus={field.type === 'link' && chosen.length > 0}
            onFocus={() => setOpen(true)}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
            onKeyDown={onKeyDown}
          />
          <Popover className="link-popover" placement="bottom start">
            <ListBox<Option> id={listId} aria-label={`${field.label} choices`} className="link-options">
              {(o) => (
                <ListBoxItem id={o.id} textValue={o.title} className="link-option">
                  {o.title} <small>{o.model}</small>
                </ListBoxItem>
              )}
            </ListBox>
          </Popover>
        </ComboBox>
      )}
      {!readOnly && field.type === 'link' && chosen.length > 0 && !open && (
        <button type="button" className="btn" aria-describedby={describedBy} onClick={() => setOpen(true)}>
          Change…
        </button>
      )}
    </div>
  );
}

