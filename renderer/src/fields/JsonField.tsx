import { useEffect, useRef, useState } from 'react';
import { EditorState, Compartment } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, highlightSpecialChars, lineNumbers } from '@codemirror/view';
import { json } from '@codemirror/lang-json';
import { HighlightStyle, bracketMatching, syntaxHighlighting } from '@codemirror/language';
import { tags } from '@lezer/highlight';
import type { Json } from '../../../shared/domain';
import type { FieldControlProps } from './types';
import { useLabelledBy } from './label';

/** Token colours from the design tokens, so light and dark both keep their contrast. */
const tokenColours = HighlightStyle.define([
  { tag: tags.string, color: 'var(--success)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--accent)' },
  { tag: tags.propertyName, color: 'var(--fg-default)', fontWeight: 'var(--weight-bold)' },
  { tag: tags.invalid, color: 'var(--danger)' },
]);

/** Where JSON.parse stopped, as "line 3, column 7" (Chromium says "position N"). */
function parseError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    if (!at) return message;
    const before = text.slice(0, Number(at[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return `${message.replace(/ in JSON at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '')} (line ${line}, column ${column})`;
  }
}

/**
 * json: a CodeMirror JSON editor. Nothing is saved until the text parses; meanwhile the
 * parse error is shown (and announced) under it, and the last valid value stays the cell's.
 */
export function JsonField({ id, value, readOnly, describedBy, invalid, onChange }: FieldControlProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const attrs = useRef(new Compartment());
  const editable = useRef(new Compartment());
  const [error, setError] = useState<string | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  const lastSent = useRef<string>(JSON.stringify(value ?? null));
  const labelledBy = useLabelledBy(id, () => view.current?.focus());
  const errorId = `${id}-json-error`;

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: JSON.stringify(value ?? null, null, 2),
        extensions: [
          // No keymap package is installed (@codemirror/commands): typing, deleting and moving are the
          // view's own; Tab moves the focus on, as in every other field.
          highlightSpecialChars(),
          drawSelection(),
          syntaxHighlighting(tokenColours),
          lineNumbers(),
          bracketMatching(),
          highlightActiveLine(),
          json(),
          attrs.current.of([]),
          editable.current.of([]),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged) return;
            const text = u.state.doc.toString();
            const problem = parseError(text);
            setError(problem);
            if (problem) return;
            const parsed = JSON.parse(text) as Json;
            const k = JSON.stringify(parsed);
            if (k === lastSent.current) return;
            lastSent.current = k;
            onChangeRef.current(parsed);
          }),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
    // The view is made once; value, attributes and read-only reach it through the effects below.
  }, []);

  // A value from outside (another record or locale) replaces the text, unless it is what was typed.
  useEffect(() => {
    const v = view.current;
    const k = JSON.stringify(value ?? null);
    if (!v || k === lastSent.current) return;
    lastSent.current = k;
    setError(null);
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: JSON.stringify(value ?? null, null, 2) } });
  }, [value]);

  useEffect(() => {
    const described = [describedBy, error ? errorId : null].filter(Boolean).join(' ');
    const content: Record<string, string> = { id, 'aria-multiline': 'true', ...(labelledBy ? { 'aria-labelledby': labelledBy } : {}) };
    if (described) content['aria-describedby'] = described;
    if (invalid || error) content['aria-invalid'] = 'true';
    if (readOnly) content['aria-readonly'] = 'true';
    view.current?.dispatch({
      effects: [
        attrs.current.reconfigure(EditorView.contentAttributes.of(content)),
        editable.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
      ],
    });
  }, [id, labelledBy, describedBy, invalid, error, readOnly, errorId]);

  return (
    <div className={`code-field${readOnly ? ' is-readonly' : ''}${invalid || error ? ' is-invalid' : ''}`}>
      <div ref={host} />
      <p id={errorId} className="field-error" role="status" aria-live="polite" hidden={!error}>
        {error ? `Not valid JSON yet, so nothing is saved: ${error}` : ''}
      </p>
    </div>
  );
}
