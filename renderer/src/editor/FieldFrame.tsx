import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { dastToText, isDastDocument, type Field, type Json } from '../../../shared/domain';
import { localeName } from './labels';

export const fieldDomId = (apiKey: string): string => `field-${apiKey}`;

/**
 * The frame around one field's control: label, help, the problem the publish check finds in
 * it, and, translating, the source locale's value beside it. The control itself is the
 * field's widget; it gets the ids to describe itself by and whether it is invalid.
 */
export function FieldFrame({
  field,
  locale,
  error,
  source,
  conflict,
  note,
  children,
}: {
  field: Field;
  locale: string;
  error: string | null;
  /** The same field in the source locale (read-only), when translating side by side. */
  source: { locale: string; value: Json } | null;
  conflict: boolean;
  /** A sentence under the control (e.g. why it is read-only), already with its own id. */
  note?: ReactNode;
  children: (a: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}) {
  const id = fieldDomId(field.apiKey);
  const err = error ? `${id}-error` : undefined;
  return (
    <div className={`field editor-field${conflict ? ' conflict' : ''}${error ? ' invalid' : ''}${source ? ' with-source' : ''}`} data-field={field.apiKey}>
      <label htmlFor={id}>
        {field.label}
        {field.required && (
          <span className="required" aria-label="required">
            {' '}
            *
          </span>
        )}
      </label>
      <div className="field-body">
        {source && (
          <div className="source" aria-label={`Source (${localeName(source.locale)}): ${field.label}`} role="group">
            <span className="source-locale">{localeName(source.locale)}</span>
            <SourceValue text={readable(source.value)} />
          </div>
        )}
        <div className="control">{children({ id, describedBy: err, invalid: !!error })}</div>
      </div>
      {error && (
        <p className="field-error" id={err}>
          {field.label}
          {field.localized ? ` (${localeName(locale)})` : ''} {error}
        </p>
      )}
      {note}
    </div>
  );
}

/**
 * The source's text, capped in height: when it overflows it scrolls, and a scrolling region
 * must be reachable by keyboard (axe scrollable-region-focusable), so only then is it a tab stop.
 */
function SourceValue({ text }: { text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrolls, setScrolls] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = (): void => setScrolls(el.scrollHeight > el.clientHeight);
    measure();
    const watch = new ResizeObserver(measure);
    watch.observe(el);
    return () => watch.disconnect();
  }, [text]);
  return (
    <div className="source-value" ref={ref} tabIndex={scrolls ? 0 : undefined}>
      {text || <span className="muted">Empty</span>}
    </div>
  );
}

/** A value as a person reads it: text as text, rich text as its text, the rest as compact JSON. */
export function readable(v: Json | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (isDastDocument(v)) return dastToText(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
