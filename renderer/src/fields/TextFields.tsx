import type { FieldControlProps } from './types';

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Props every native control shares: label association by id, help and error by aria-*, read-only that stays focusable. */
export function nativeProps({ id, readOnly, describedBy, invalid }: Pick<FieldControlProps, 'id' | 'readOnly' | 'describedBy' | 'invalid'>) {
  return { id, readOnly, 'aria-readonly': readOnly || undefined, 'aria-describedby': describedBy, 'aria-invalid': invalid || undefined };
}

/** string and slug: one line. A slug says what it accepts while it is typed. */
export function StringField(props: FieldControlProps) {
  const { field, value, onChange } = props;
  const max = field.validators.length?.max;
  return (
    <div className="field-control">
      <input
        {...nativeProps(props)}
        className={`input${field.type === 'slug' ? ' mono' : ''}`}
        value={text(value)}
        maxLength={max}
        spellCheck={field.type !== 'slug'}
        autoComplete="off"
        onChange={(e) => onChange(field.type === 'slug' ? e.target.value.toLowerCase().replace(/\s+/g, '-') : e.target.value)}
      />
      {max !== undefined && !props.readOnly && (
        <span className="field-count muted" aria-hidden="true">
          {text(value).length}/{max}
        </span>
      )}
    </div>
  );
}

/** text: several lines of plain text (or Markdown), growing with its content. */
export function TextAreaField(props: FieldControlProps) {
  const { value, onChange } = props;
  const lines = Math.min(Math.max(text(value).split('\n').length + 1, 4), 20);
  return <textarea {...nativeProps(props)} className="input textarea" rows={lines} value={text(value)} onChange={(e) => onChange(e.target.value)} />;
}
