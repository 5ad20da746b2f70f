import { useState } from 'react';
import type { FieldControlProps } from './types';
import { MarkdownPreview } from './MarkdownPreview';
import { usePasteLimit } from './pasteLimit';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Props every native control shares: label association by id, help and error by aria-*, read-only that stays focusable. */
export function nativeProps({ id, readOnly, describedBy, invalid }: Pick<FieldControlProps, 'id' | 'readOnly' | 'describedBy' | 'invalid'>) {
  return { id, readOnly, 'aria-readonly': readOnly || undefined, 'aria-describedby': describedBy, 'aria-invalid': invalid || undefined };
}

/** string and slug: one line. A slug says what it accepts while it is typed. */
export function StringField(props: FieldControlProps) {
  const { field, value, onChange } = props;
  const max = field.validators.length?.max;
  const paste = usePasteLimit(field.label, max);
  return (
    <div className="field-control">
      <input
        {...nativeProps(props)}
        className={`input${field.type === 'slug' ? ' mono' : ''}`}
        value={text(value)}
        maxLength={max}
        spellCheck={field.type !== 'slug'}
        autoComplete="off"
        onPaste={paste.onPaste}
        onChange={(e) => {
          paste.clear();
          onChange(field.type === 'slug' ? e.target.value.toLowerCase().replace(/\s+/g, '-') : e.target.value);
        }}
      />
      {max !== undefined && !props.readOnly && (
        <span className="field-count muted" aria-hidden="true">
          {text(value).length}/{max}
        </span>
      )}
      {paste.refused && (
        <p className="field-error" role="alert">
          {paste.refused}
        </p>
      )}
      {/* maxLength drops keys past the limit without a sound: said in words, aloud, where the typing is. */}
      {max !== undefined && !props.readOnly && !paste.refused && text(value).length >= max && (
        <p className="field-limit" role="status">
          {field.label} is at its limit of {max} characters: more typing is not added.
        </p>
      )}
    </div>
  );
}

/** text: several lines of plain text or Markdown, growing with its content, with a preview of the Markdown. */
export function TextAreaField(props: FieldControlProps) {
  const { id, value, onChange } = props;
  const [preview, setPreview] = useState(false);
  const lines = Math.min(Math.max(text(value).split('\n').length + 1, 4), 20);
  return (
    <div className="text-field">
      <div className="text-field-modes" role="group" aria-label="Show">
        <button type="button" className="btn quiet text" aria-pressed={!preview} aria-controls={id} onClick={() => setPreview(false)}>
          Write
        </button>
        <button type="button" className="btn quiet text" aria-pressed={preview} aria-controls={preview ? `${id}-preview` : undefined} onClick={() => setPreview(true)}>
          Preview
        </button>
      </div>
      <textarea {...nativeProps(props)} hidden={preview} className="input textarea" rows={lines} value={text(value)} onChange={(e) => onChange(e.target.value)} />
      {preview && (
        <div id={`${id}-preview`} className="text-field-preview" role="region" aria-label="Markdown preview">
          {text(value).trim() ? <MarkdownPreview text={text(value)} /> : <p className="muted">Nothing to preview.</p>}
        </div>
      )}
    </div>
  );
}
