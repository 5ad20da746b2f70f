import { useState, type KeyboardEvent } from 'react';
import type { Editor } from '@tiptap/react';

/** Only links a reader can follow safely: web, mail and phone addresses. */
function safeUrl(raw: string): string | null {
  const text = raw.trim();
  if (!text) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`;
  try {
    const url = new URL(withScheme);
    return ['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol) ? withScheme : null;
  } catch {
    return null;
  }
}

/** Sets, changes or removes the link on the selection (⌘K or the toolbar's link button). */
export function LinkBar({ editor, onDone }: { editor: Editor; onDone: () => void }) {
  const current = editor.getAttributes('link')['href'] as string | undefined;
  const [text, setText] = useState(current ?? '');
  const [bad, setBad] = useState(false);

  function apply() {
    const url = safeUrl(text);
    if (!url) return setBad(true);
    const chain = editor.chain().focus().extendMarkRange('link');
    // With nothing selected, the address itself becomes the linked text.
    if (editor.state.selection.empty && !editor.isActive('link')) chain.insertContent({ type: 'text', text: url, marks: [{ type: 'link', attrs: { href: url } }] }).run();
    else chain.setLink({ href: url }).run();
    onDone();
  }

  function keys(e: KeyboardEvent) {
    if (e.key === 'Escape') onDone();
    else if (e.key === 'Enter' && e.target instanceof HTMLInputElement) apply();
    else return;
    e.preventDefault();
  }

  return (
    // Not a <form>: the record editor's fields are already in one.
    <div role="group" aria-label="Link" className="rich-text-linkbar" onKeyDown={keys}>
      <label>
        <span className="visually-hidden">Link address</span>
        <input
          className="input"
          autoFocus
          type="url"
          inputMode="url"
          placeholder="https://…"
          value={text}
          aria-invalid={bad || undefined}
          aria-describedby={bad ? 'rich-text-link-error' : undefined}
          onChange={(e) => (setText(e.target.value), setBad(false))}
        />
      </label>
      <button type="button" className="btn primary" onClick={apply}>
        {current ? 'Update link' : 'Add link'}
      </button>
      {current && (
        <button type="button" className="btn" onClick={() => (editor.chain().focus().extendMarkRange('link').unsetLink().run(), onDone())}>
          Remove link
        </button>
      )}
      <button type="button" className="btn" onClick={onDone}>
        Cancel
      </button>
      {bad && (
        <p className="field-error" id="rich-text-link-error" role="alert">
          Enter a web address (https://…), mailto: or tel:.
        </p>
      )}
    </div>
  );
}
