import type { ReactNode } from 'react';
import type { Field, Json } from '../../../shared/domain';
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
            <div className="source-value">{readable(source.value) || <span className="muted">Empty</span>}</div>
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

/** A value as a person reads it: text as text, the rest as compact JSON. */
export function readable(v: Json | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
