import type { ReactNode } from 'react';
import { useState } from 'react';
import { useEditorState, type Editor } from '@tiptap/react';
import { Bold, Code, Heading2, Heading3, Italic, Link2, List, ListOrdered, Quote, Redo2, SquareCode, Strikethrough, Undo2 } from 'lucide-react';

const mod = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl+';

interface Tool {
  name: string;
  label: string;
  keys: string;
  icon: ReactNode;
  active?: (e: Editor) => boolean;
  run: (e: Editor) => void;
}

/** One group a separator: marks, blocks, lists, history. Shortcuts are TipTap's own (and ⌘K for links). */
const GROUPS = (onLink: () => void): Tool[][] => [
  [
    { name: 'bold', label: 'Bold', keys: `${mod}B`, icon: <Bold />, active: (e) => e.isActive('bold'), run: (e) => e.chain().focus().toggleBold().run() },
    { name: 'italic', label: 'Italic', keys: `${mod}I`, icon: <Italic />, active: (e) => e.isActive('italic'), run: (e) => e.chain().focus().toggleItalic().run() },
    { name: 'strike', label: 'Strikethrough', keys: `${mod}Shift+S`, icon: <Strikethrough />, active: (e) => e.isActive('strike'), run: (e) => e.chain().focus().toggleStrike().run() },
    { name: 'code', label: 'Inline code', keys: `${mod}E`, icon: <Code />, active: (e) => e.isActive('code'), run: (e) => e.chain().focus().toggleCode().run() },
    { name: 'link', label: 'Link', keys: `${mod}K`, icon: <Link2 />, active: (e) => e.isActive('link'), run: () => onLink() },
  ],
  [
    { name: 'h2', label: 'Heading', keys: `${mod}Alt+2`, icon: <Heading2 />, active: (e) => e.isActive('heading', { level: 2 }), run: (e) => e.chain().focus().toggleHeading({ level: 2 }).run() },
    { name: 'h3', label: 'Subheading', keys: `${mod}Alt+3`, icon: <Heading3 />, active: (e) => e.isActive('heading', { level: 3 }), run: (e) => e.chain().focus().toggleHeading({ level: 3 }).run() },
    { name: 'quote', label: 'Quote', keys: `${mod}Shift+B`, icon: <Quote />, active: (e) => e.isActive('blockquote'), run: (e) => e.chain().focus().toggleBlockquote().run() },
    { name: 'codeBlock', label: 'Code block', keys: `${mod}Alt+C`, icon: <SquareCode />, active: (e) => e.isActive('codeBlock'), run: (e) => e.chain().focus().toggleCodeBlock().run() },
  ],
  [
    { name: 'bullets', label: 'Bulleted list', keys: `${mod}Shift+8`, icon: <List />, active: (e) => e.isActive('bulletList'), run: (e) => e.chain().focus().toggleBulletList().run() },
    { name: 'numbers', label: 'Numbered list', keys: `${mod}Shift+7`, icon: <ListOrdered />, active: (e) => e.isActive('orderedList'), run: (e) => e.chain().focus().toggleOrderedList().run() },
  ],
  [
    { name: 'undo', label: 'Undo', keys: `${mod}Z`, icon: <Undo2 />, run: (e) => e.chain().focus().undo().run() },
    { name: 'redo', label: 'Redo', keys: `${mod}Shift+Z`, icon: <Redo2 />, run: (e) => e.chain().focus().redo().run() },
  ],
];

/** The formatting toolbar: icon buttons that say their name and shortcut, and whether they are on (aria-pressed). */
export function RichTextToolbar({ editor, label, onLink }: { editor: Editor; label: string; onLink: () => void }) {
  const groups = GROUPS(onLink);
  // Pressed says what is on where the caret is; with the focus elsewhere there is no caret, and a
  // heading at the top showed as pressed in every record opened (persona walk). The toolbar's own
  // focus counts as the editor's: a keyboard user tabs to it to read the state.
  const [inToolbar, setInToolbar] = useState(false);
  // Re-rendered on selection and content changes, and only when what it shows changed.
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const out: Record<string, boolean> = { canUndo: e.can().undo(), canRedo: e.can().redo(), focused: e.isFocused };
      for (const tool of groups.flat()) if (tool.active) out[tool.name] = tool.active(e);
      return out;
    },
  });
  return (
    <div
      role="toolbar"
      aria-label={`${label} formatting`}
      className="rich-text-toolbar"
      onFocus={() => setInToolbar(true)}
      onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setInToolbar(false)}
    >
      {groups.map((tools, i) => (
        <div key={i} className="rich-text-group" role="group">
          {tools.map((tool) => {
            const disabled = (tool.name === 'undo' && !state.canUndo) || (tool.name === 'redo' && !state.canRedo);
            return (
              <button
                key={tool.name}
                type="button"
                className="btn quiet"
                aria-label={tool.label}
                aria-keyshortcuts={tool.keys.replace('⌘', 'Meta+').replace('Ctrl+', 'Control+')}
                title={`${tool.label} (${tool.keys})`}
                aria-pressed={tool.active ? (state.focused || inToolbar) && !!state[tool.name] : undefined}
                disabled={disabled}
                // Keep the editor's selection: the button acts on it.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => tool.run(editor)}
              >
                {tool.icon}
              </button>
            );
          })}
        </div>
      ))}
    </div>
  );
}
