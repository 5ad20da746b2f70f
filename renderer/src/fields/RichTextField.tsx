import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Blockquote from '@tiptap/extension-blockquote';
import { ListItem } from '@tiptap/extension-list';
import { dastProblem, dastToProseMirror, normalizeDast, proseMirrorToDast, type DastDocument, type Json } from '../../../shared/domain';
import type { FieldControlProps } from './types';
import { useLabelledBy } from './label';
import { RichTextToolbar } from './RichTextToolbar';
import { LinkBar } from './LinkBar';
import { SizeGuard } from './sizeGuard';

/** DAST can hold only paragraphs and lists in a list item, and only paragraphs in a quote: the editor's schema says the same. */
const DastListItem = ListItem.extend({ content: 'paragraph (paragraph | bulletList | orderedList)*' });
const DastBlockquote = Blockquote.extend({ content: 'paragraph+' });

const EXTENSIONS = [
  StarterKit.configure({
    blockquote: false,
    listItem: false,
    // It appends an empty paragraph after a final list or quote, which would be saved as content.
    trailingNode: false,
    link: { openOnClick: false, autolink: true, defaultProtocol: 'https', HTMLAttributes: { rel: 'noopener noreferrer nofollow', target: null } },
  }),
  DastListItem,
  DastBlockquote,
];

const asDast = (value: Json): DastDocument | null => (value !== null && dastProblem(value) === null ? (value as unknown as DastDocument) : null);
const key = (doc: DastDocument | null): string => JSON.stringify(doc ? normalizeDast(doc) : null);

/**
 * A structured_text field: TipTap (ProseMirror) editing DAST through the pure converter in
 * shared/domain. The cell holds DAST; the editor holds ProseMirror; only a real change of the
 * document (its normal form) is sent on, so focusing or re-rendering never writes.
 */
export function RichTextField({ id, field, value, readOnly, describedBy, invalid, onChange }: FieldControlProps) {
  const [linking, setLinking] = useState(false);
  const [refused, setRefused] = useState<string | null>(null);
  const last = useRef<string>(key(asDast(value)));
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const labelRef = useRef(field.label);
  labelRef.current = field.label;
  // Made once per editor: TipTap takes its extensions when the editor is created.
  const extensions = useMemo(() => [...EXTENSIONS, SizeGuard.configure({ onRefused: (problem) => setRefused(`Not pasted: ${labelRef.current} ${problem}. Nothing was changed.`) })], []);
  const editor = useEditor({
    extensions,
    content: dastToProseMirror(asDast(value)),
    editable: !readOnly,
    // The CSP allows no <style> element: the few rules ProseMirror needs are in fields.css.
    injectCSS: false,
    immediatelyRender: true,
    shouldRerenderOnTransaction: false,
    onUpdate: ({ editor: e }) => {
      setRefused(null);
      const doc = proseMirrorToDast(e.getJSON());
      const k = JSON.stringify(doc);
      if (k === last.current) return;
      last.current = k;
      onChangeRef.current(doc as unknown as Json);
    },
  });

  // A new value from outside (another record or locale, a resolved conflict, a pull) replaces the
  // content. A value that is not a document the cell can hold (one this editor produced and the
  // store refused) never does: read as empty, it blanked the editor, and the next keystroke saved that.
  useEffect(() => {
    if (value !== null && asDast(value) === null) return;
    const k = key(asDast(value));
    if (k === last.current) return;
    last.current = k;
    editor.commands.setContent(dastToProseMirror(asDast(value)), { emitUpdate: false });
  }, [editor, value]);

  useEffect(() => {
    editor.setEditable(!readOnly, false);
    if (readOnly) setLinking(false);
  }, [editor, readOnly]);

  const focus = useCallback(() => editor.commands.focus(), [editor]);
  const labelledBy = useLabelledBy(id, focus);

  useEffect(() => {
    const attrs: Record<string, string> = {
      id,
      role: 'textbox',
      'aria-multiline': 'true',
      class: 'rich-text-content',
      ...(labelledBy ? { 'aria-labelledby': labelledBy } : { 'aria-label': field.label }),
      ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      ...(invalid ? { 'aria-invalid': 'true' } : {}),
      ...(readOnly ? { 'aria-readonly': 'true' } : {}),
    };
    editor.setOptions({
      editorProps: {
        attributes: attrs,
        handleKeyDown: (_view, event) => {
          if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'k' && editor.isEditable) {
            event.preventDefault();
            setLinking(true);
            return true;
          }
          return false;
        },
      },
    });
  }, [editor, id, labelledBy, field.label, describedBy, invalid, readOnly]);

  return (
    <div className={`rich-text${readOnly ? ' is-readonly' : ''}${invalid ? ' is-invalid' : ''}`}>
      {!readOnly && <RichTextToolbar editor={editor} label={field.label} onLink={() => setLinking(true)} />}
      {linking && !readOnly && <LinkBar editor={editor} onDone={() => (setLinking(false), editor.commands.focus())} />}
      <EditorContent editor={editor} />
      {refused && (
        <p className="field-error" role="alert">
          {refused}
        </p>
      )}
    </div>
  );
}

export type { Editor };
