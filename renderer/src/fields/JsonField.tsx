import { useEffect, useRef, useState } from 'react';
import type { Json } from '../../../shared/domain';
import type { FieldControlProps } from './types';
import { nativeProps } from './TextFields';

/** Where JSON.parse stopped, as "line 3, column 7" (Chromium says "position N"). */
export function jsonParseError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const what = message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    if (!at) return what;
    const before = text.slice(0, Number(at[1]));
    return `${what} (line ${before.split('\n').length}, column ${before.length - before.lastIndexOf('\n')})`;
  }
}

/**
 * json: a monospace editor that saves nothing until the text parses; meanwhile the parse error
 * (with line and column) is shown and announced under it, and the cell keeps its last valid
 * value. (Not CodeMirror: CodeMirror 6 puts its styles in a <style> element, which the
 * renderer's CSP refuses.)
 */
export function JsonField(props: FieldControlProps) {
  const { id, value, describedBy, invalid, onChange } = props;
  const pretty = (v: Json) => JSON.stringify(v ?? null, null, 2);
  const [text, setText] = useState(() => pretty(value));
  const [error, setError] = useState<string | null>(null);
  const lastSent = useRef(JSON.stringify(value ?? null));
  const errorId = `${id}-json-error`;

  // A value from outside (another record, a pull) replaces the text, unless it is what was typed.
  useEffect(() => {
    const k = JSON.stringify(value ?? null);
    if (k === lastSent.current) return;
    lastSent.current = k;
    setText(pretty(value));
    setError(null);
  }, [value]);

  function edit(next: string) {
    setText(next);
    const problem = jsonParseError(next);
    setError(problem);
    if (problem) return;
    const parsed = JSON.parse(next) as Json;
    const k = JSON.stringify(parsed);
    if (k === lastSent.current) return;
    lastSent.current = k;
    onChange(parsed);
  }

  const lines = Math.min(Math.max(text.split('\n').length + 1, 4), 24);
  return (
    <div className="code-field">
      <textarea
        {...nativeProps({ ...props, invalid: invalid || error !== null, describedBy: [describedBy, error ? errorId : null].filter(Boolean).join(' ') || undefined })}
        className="input code"
        rows={lines}
        spellCheck={false}
        autoCapitalize="off"
        autoComplete="off"
        value={text}
        onChange={(e) => edit(e.target.value)}
      />
      <p id={errorId} className="field-error" role="status" aria-live="polite" hidden={!error}>
        {error ? `Not valid JSON yet, so nothing is saved: ${error}` : ''}
      </p>
    </div>
  );
}
