import { useState } from 'react';
import type { Field, Json } from '../../shared/domain';
import { LinkPicker } from './LinkPicker';
import { AssetPicker } from './media/AssetPicker';

/** The input for one field's type; read-only ones say why through aria-describedby. */
export function Widget({ id, field, value, readOnly, describedBy, onChange }: { id: string; field: Field; value: Json; readOnly: boolean; describedBy?: string; onChange: (v: Json) => void }) {
  const common = { id, readOnly, disabled: readOnly && (field.type === 'boolean'), 'aria-readonly': readOnly, 'aria-describedby': describedBy };
  switch (field.type) {
    case 'text':
      return <textarea {...common} rows={5} value={(value as string) ?? ''} onChange={(e) => onChange(e.target.value)} />;
    case 'boolean':
      return <input {...common} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case 'integer':
    case 'float':
      return <input {...common} type="number" step={field.type === 'integer' ? 1 : 'any'} value={(value as number | null) ?? ''} onChange={(e) => onChange(e.target.value === '' ? null : Number(e.target.value))} />;
    case 'date':
      return <input {...common} type="date" value={(value as string) ?? ''} onChange={(e) => onChange(e.target.value || null)} />;
    case 'datetime':
      return <input {...common} type="datetime-local" value={typeof value === 'string' ? value.slice(0, 16) : ''} onChange={(e) => onChange(e.target.value ? new Date(e.target.value).toISOString() : null)} />;
    case 'asset':
      return <AssetPicker id={id} label={field.label} value={value} readOnly={readOnly} onChange={onChange} accept={field.validators.assetTypes} />;
    case 'link':
    case 'links':
      return <LinkPicker id={id} field={field} value={value} readOnly={readOnly} onChange={onChange} />;
    case 'json':
    case 'seo':
      return <JsonWidget common={common} value={value} onChange={onChange} />;
    default:
      return <input {...common} value={(value as string) ?? ''} onChange={(e) => onChange(e.target.value)} />;
  }
}

function JsonWidget({ common, value, onChange }: { common: Record<string, unknown>; value: Json; onChange: (v: Json) => void }) {
  const [text, setText] = useState(JSON.stringify(value ?? null, null, 2));
  const [bad, setBad] = useState(false);
  return (
    <>
      <textarea
        {...common}
        rows={4}
        value={text}
        aria-invalid={bad}
        onChange={(e) => {
          setText(e.target.value);
          try {
            onChange(JSON.parse(e.target.value) as Json);
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {bad && <p className="error">Not valid JSON yet; nothing is saved until it is.</p>}
    </>
  );
}
