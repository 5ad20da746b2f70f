import type { ReactNode } from 'react';
import { parser } from '@lezer/markdown';
import type { SyntaxNode } from '@lezer/common';

/** Syntax that is markup, not content: skipped in the preview. */
const MARKS = new Set(['HeaderMark', 'EmphasisMark', 'CodeMark', 'LinkMark', 'QuoteMark', 'ListMark', 'URL', 'LinkTitle', 'LinkLabel', 'CodeInfo', 'HardBreak']);
const TAGS: Record<string, 'p' | 'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6' | 'ul' | 'ol' | 'li' | 'blockquote' | 'em' | 'strong' | 'code'> = {
  Paragraph: 'p',
  ATXHeading1: 'h1', ATXHeading2: 'h2', ATXHeading3: 'h3', ATXHeading4: 'h4', ATXHeading5: 'h5', ATXHeading6: 'h6',
  SetextHeading1: 'h1', SetextHeading2: 'h2',
  BulletList: 'ul', OrderedList: 'ol', ListItem: 'li', Blockquote: 'blockquote',
  Emphasis: 'em', StrongEmphasis: 'strong', InlineCode: 'code',
};
const BLOCKS = new Set(['Document', 'BulletList', 'OrderedList', 'ListItem', 'Blockquote']);

/**
 * Markdown as React elements (never HTML strings: no markup of the text reaches the DOM), from
 * the Lezer parser CodeMirror's Markdown mode uses. Links show their text and address but do
 * not navigate: the editor is not a browser.
 */
export function MarkdownPreview({ text }: { text: string }) {
  const tree = parser.parse(text);
  let key = 0;
  const render = (node: SyntaxNode): ReactNode => {
    const name = node.type.name;
    if (name === 'FencedCode' || name === 'CodeBlock') {
      const code = node.getChild('CodeText');
      return (
        <pre key={key++}>
          <code>{code ? text.slice(code.from, code.to) : ''}</code>
        </pre>
      );
    }
    if (name === 'HorizontalRule') return <hr key={key++} />;
    const parts: ReactNode[] = [];
    let at = node.from;
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (!BLOCKS.has(name) && child.from > at) parts.push(text.slice(at, child.from));
      if (!MARKS.has(child.type.name)) parts.push(render(child));
      at = child.to;
    }
    if (!BLOCKS.has(name) && node.to > at) parts.push(text.slice(at, node.to));
    if (name === 'Link') {
      const url = node.getChild('URL');
      return (
        <span key={key++} className="md-link" title={url ? text.slice(url.from, url.to) : undefined}>
          {parts}
        </span>
      );
    }
    const Tag = TAGS[name];
    if (Tag) return <Tag key={key++}>{parts}</Tag>;
    return name === 'Document' ? parts : <span key={key++}>{parts}</span>;
  };
  return <div className="markdown-preview">{render(tree.topNode)}</div>;
}
