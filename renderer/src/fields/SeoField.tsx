import type { Json } from '../../../shared/domain';
import type { FieldControlProps } from './types';
import { useLabelledBy } from './label';
import { useCallback } from 'react';
import { usePasteLimit } from './pasteLimit';

/** What search engines show before they cut: the counters say so, they do not refuse (the server's limits are 300 / 1,000). */
const RECOMMENDED = { title: 60, description: 160 } as const;

type Seo = { title?: string | null; description?: string | null; image?: string | null };
const asSeo = (v: Json): Seo => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Seo) : {});

function Counter({ id, length, max }: { id: string; length: number; max: number }) {
  const over = length > max;
  return (
    <span id={id} className={`field-count${over ? ' is-over' : ''}`}>
      {length}/{max}
      <span className="visually-hidden">{over ? ' characters: longer than search results show' : ' characters recommended'}</span>
    </span>
  );
}

/** seo: meta title and description with live counters, and the search result they would make. */
export function SeoField({ id, field, value, readOnly, describedBy, invalid, onChange }: FieldControlProps) {
  const seo = asSeo(value);
  const set = (key: 'title' | 'description', text: string) => onChange({ ...(seo as Record<string, Json>), [key]: text === '' ? null : text });
  const focus = useCallback(() => document.getElementById(`${id}-title`)?.focus(), [id]);
  const labelledBy = useLabelledBy(id, focus);
  const titlePaste = usePasteLimit('Meta title', 300);
  const descriptionPaste = usePasteLimit('Meta description', 1000);
  const refused = titlePaste.refused ?? descriptionPaste.refused;
  const title = seo.title ?? '';
  const description = seo.description ?? '';
  const common = (key: 'title' | 'description') => ({
    id: `${id}-${key}`,
    className: 'input',
    readOnly,
    'aria-readonly': readOnly || undefined,
    'aria-invalid': invalid || undefined,
    'aria-describedby': [`${id}-${key}-count`, describedBy].filter(Boolean).join(' '),
  });
  return (
    <div id={id} role="group" aria-labelledby={labelledBy} aria-label={labelledBy ? undefined : field.label} className="seo-field">
      <div className="seo-row">
        <label htmlFor={`${id}-title`}>Meta title</label>
        <input {...common('title')} value={title} maxLength={300} onPaste={titlePaste.onPaste} onChange={(e) => (titlePaste.clear(), set('title', e.target.value))} />
        <Counter id={`${id}-title-count`} length={title.length} max={RECOMMENDED.title} />
      </div>
      <div className="seo-row">
        <label htmlFor={`${id}-description`}>Meta description</label>
        <textarea {...common('description')} rows={3} value={description} maxLength={1000} onPaste={descriptionPaste.onPaste} onChange={(e) => (descriptionPaste.clear(), set('description', e.target.value))} />
        <Counter id={`${id}-description-count`} length={description.length} max={RECOMMENDED.description} />
      </div>
      {refused && (
        <p className="field-error" role="alert">
          {refused}
        </p>
      )}
      <figure className="seo-preview" aria-label="Search result preview">
        <p className="seo-preview-title">{title ? cut(title, RECOMMENDED.title) : 'Title shown in search results'}</p>
        <p className="seo-preview-url muted">example.com › …</p>
        <p className="seo-preview-description">{description ? cut(description, RECOMMENDED.description) : 'The description search engines show under the title.'}</p>
      </figure>
    </div>
  );
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);
