import type { DastBlock, DastDocument, DastInline, DastList, DastListItem, DastMark, DastParagraph, DastSpan } from './dast';
import { DAST_MARKS } from './dast';

/**
 * ProseMirror JSON (what TipTap's editor.getJSON() gives and setContent() takes) <-> DAST.
 * Pure, so the same code is tested here and runs in the renderer. Node and mark names are
 * those of TipTap's StarterKit (with list items and quotes narrowed to what DAST can hold,
 * see the editor). A ProseMirror document made from DAST converts back to the same DAST once
 * that DAST is in normal form (`normalizeDast`): adjacent spans with the same marks merged,
 * empty spans dropped where a sibling remains, marks in one order.
 */
export interface PmMark {
  type: string;
  attrs?: Record<string, unknown>;
}
export interface PmNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: PmNode[];
  marks?: PmMark[];
  text?: string;
}

const TO_PM_MARK: Record<DastMark, string> = { strong: 'bold', emphasis: 'italic', code: 'code', underline: 'underline', strikethrough: 'strike' };
const FROM_PM_MARK: Record<string, DastMark> = Object.fromEntries(Object.entries(TO_PM_MARK).map(([d, p]) => [p, d as DastMark]));

const sortMarks = (marks: Iterable<DastMark>): DastMark[] => DAST_MARKS.filter((m) => [...marks].includes(m));
const emptySpan = (): DastSpan => ({ type: 'span', value: '' });
const span = (value: string, marks: DastMark[]): DastSpan => (marks.length ? { type: 'span', value, marks } : { type: 'span', value });

// ---- DAST -> ProseMirror ----

function spanToPm(s: DastSpan, link: string | null): PmNode[] {
  const marks: PmMark[] = sortMarks(s.marks ?? []).map((m) => ({ type: TO_PM_MARK[m] }));
  if (link !== null) marks.push({ type: 'link', attrs: { href: link } });
  const withMarks = (n: PmNode): PmNode => (marks.length ? { ...n, marks } : n);
  const out: PmNode[] = [];
  s.value.split('\n').forEach((piece, i) => {
    if (i > 0) out.push(withMarks({ type: 'hardBreak' }));
    if (piece !== '') out.push(withMarks({ type: 'text', text: piece }));
  });
  return out;
}

function inlineToPm(children: DastInline[]): PmNode[] | undefined {
  const out = children.flatMap((c) => (c.type === 'span' ? spanToPm(c, null) : c.children.flatMap((s) => spanToPm(s, c.url))));
  return out.length ? out : undefined;
}

const withContent = (node: PmNode, content: PmNode[] | undefined): PmNode => (content ? { ...node, content } : node);

function listItemToPm(item: DastListItem): PmNode {
  const content = item.children.map((c) => (c.type === 'paragraph' ? paragraphToPm(c) : listToPm(c)));
  // A ProseMirror list item starts with a paragraph.
  if (item.children[0]?.type !== 'paragraph') content.unshift({ type: 'paragraph' });
  return { type: 'listItem', content };
}
const listToPm = (l: DastList): PmNode =>
  l.style === 'numbered' ? { type: 'orderedList', attrs: { start: 1 }, content: l.children.map(listItemToPm) } : { type: 'bulletList', content: l.children.map(listItemToPm) };
const paragraphToPm = (p: DastParagraph): PmNode => withContent({ type: 'paragraph' }, inlineToPm(p.children));

function blockToPm(b: DastBlock): PmNode {
  switch (b.type) {
    case 'paragraph':
      return paragraphToPm(b);
    case 'heading':
      return withContent({ type: 'heading', attrs: { level: b.level } }, inlineToPm(b.children));
    case 'list':
      return listToPm(b);
    case 'blockquote':
      return { type: 'blockquote', content: b.children.map(paragraphToPm) };
    case 'code':
      return withContent({ type: 'codeBlock', attrs: { language: b.language ?? null } }, b.code ? [{ type: 'text', text: b.code }] : undefined);
    case 'thematicBreak':
      return { type: 'horizontalRule' };
  }
}

export function dastToProseMirror(doc: DastDocument | null): PmNode {
  const blocks = doc?.document.children ?? [];
  return { type: 'doc', content: blocks.length ? blocks.map(blockToPm) : [{ type: 'paragraph' }] };
}

// ---- ProseMirror -> DAST ----

const textOf = (n: PmNode): string => (n.type === 'text' ? (n.text ?? '') : n.type === 'hardBreak' ? '\n' : (n.content ?? []).map(textOf).join(''));

/** Inline content as DAST: runs of the same link become one link node; spans are merged and normal. */
function inlineFromPm(content: PmNode[] | undefined): DastInline[] {
  const out: DastInline[] = [];
  const nodes = content ?? [];
  for (const n of nodes) {
    if (n.type !== 'text' && n.type !== 'hardBreak') continue;
    // A line break is a "\n" in a span, with the marks the break node carries (see spanToPm).
    const value = n.type === 'text' ? (n.text ?? '') : '\n';
    const pmMarks = n.marks ?? [];
    const href = pmMarks.find((m) => m.type === 'link')?.attrs?.['href'];
    const link = typeof href === 'string' ? href : null;
    const s = span(value, sortMarks(pmMarks.flatMap((m) => (FROM_PM_MARK[m.type] ? [FROM_PM_MARK[m.type]!] : []))));
    const last = out.at(-1);
    if (link === null) out.push(s);
    else if (last?.type === 'link' && last.url === link) last.children.push(s);
    else out.push({ type: 'link', url: link, children: [s] });
  }
  return normalInline(out);
}

const sameMarks = (a: DastSpan, b: DastSpan): boolean => sortMarks(a.marks ?? []).join() === sortMarks(b.marks ?? []).join();

function normalSpans(spans: DastSpan[]): DastSpan[] {
  const out: DastSpan[] = [];
  for (const s of spans) {
    if (s.value === '') continue;
    const last = out.at(-1);
    if (last && sameMarks(last, s)) out[out.length - 1] = span(last.value + s.value, sortMarks(last.marks ?? []));
    else out.push(span(s.value, sortMarks(s.marks ?? [])));
  }
  return out;
}

/** Inline nodes in normal form; never empty (an empty block holds one empty span). */
function normalInline(children: DastInline[]): DastInline[] {
  const merged: DastInline[] = [];
  for (const c of children) {
    const last = merged.at(-1);
    if (c.type === 'link' && last?.type === 'link' && last.url === c.url) last.children.push(...c.children);
    else merged.push(c.type === 'link' ? { type: 'link', url: c.url, children: [...c.children] } : c);
  }
  const out: DastInline[] = [];
  let run: DastSpan[] = [];
  const flush = () => {
    out.push(...normalSpans(run));
    run = [];
  };
  for (const c of merged) {
    if (c.type === 'span') run.push(c);
    else {
      flush();
      const spans = normalSpans(c.children);
      if (spans.length) out.push({ type: 'link', url: c.url, children: spans });
    }
  }
  flush();
  return out.length ? out : [emptySpan()];
}

function paragraphFromPm(n: PmNode): DastParagraph {
  return { type: 'paragraph', children: inlineFromPm(n.content) };
}

function listFromPm(n: PmNode): DastList {
  const items: DastListItem[] = (n.content ?? []).map((item) => {
    const children: (DastParagraph | DastList)[] = [];
    for (const c of item.content ?? []) {
      if (c.type === 'bulletList' || c.type === 'orderedList') children.push(listFromPm(c));
      else children.push(...blocksFromPm(c).map((b) => (b.type === 'paragraph' ? b : { type: 'paragraph' as const, children: inlineOrText(b) })));
    }
    return { type: 'listItem', children: children.length ? children : [{ type: 'paragraph', children: [emptySpan()] }] };
  });
  return { type: 'list', style: n.type === 'orderedList' ? 'numbered' : 'bulleted', children: items.length ? items : [{ type: 'listItem', children: [{ type: 'paragraph', children: [emptySpan()] }] }] };
}

/** A block DAST cannot nest where it stands, as inline content (its text). */
function inlineOrText(b: DastBlock): DastInline[] {
  if (b.type === 'paragraph' || b.type === 'heading') return b.children;
  return normalInline([span(b.type === 'code' ? b.code : '', [])]);
}

function blocksFromPm(n: PmNode): DastBlock[] {
  switch (n.type) {
    case 'paragraph':
      return [paragraphFromPm(n)];
    case 'heading': {
      const level = Number(n.attrs?.['level']);
      return [{ type: 'heading', level: (level >= 1 && level <= 6 ? level : 2) as 1 | 2 | 3 | 4 | 5 | 6, children: inlineFromPm(n.content) }];
    }
    case 'bulletList':
    case 'orderedList':
      return [listFromPm(n)];
    case 'blockquote': {
      const paragraphs = (n.content ?? []).flatMap(blocksFromPm).map((b): DastParagraph => (b.type === 'paragraph' ? b : { type: 'paragraph', children: inlineOrText(b) }));
      return [{ type: 'blockquote', children: paragraphs.length ? paragraphs : [{ type: 'paragraph', children: [emptySpan()] }] }];
    }
    case 'codeBlock': {
      const language = n.attrs?.['language'];
      const code = textOf(n);
      return [typeof language === 'string' && language !== '' ? { type: 'code', code, language } : { type: 'code', code }];
    }
    case 'horizontalRule':
      return [{ type: 'thematicBreak' }];
    default:
      // Not in the editor's schema: keep its text rather than lose it.
      return [{ type: 'paragraph', children: normalInline([span(textOf(n), [])]) }];
  }
}

export function proseMirrorToDast(doc: PmNode): DastDocument {
  const blocks = (doc.content ?? []).flatMap(blocksFromPm);
  return { schema: 'dast', document: { type: 'root', children: blocks.length ? blocks : [{ type: 'paragraph', children: [emptySpan()] }] } };
}

/** DAST in the normal form the editor gives back (see above); valid DAST stays valid. */
export function normalizeDast(doc: DastDocument): DastDocument {
  return proseMirrorToDast(dastToProseMirror(doc));
}
