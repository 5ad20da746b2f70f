import { validate } from 'datocms-structured-text-utils';

/**
 * Structured text is stored as DatoCMS's DAST (`{schema: 'dast', document: {type: 'root', …}}`),
 * one cell like any other value. Inkstone supports the node set its editor can show and give
 * back unchanged; anything else (blocks, item links, custom styles) is refused rather than
 * silently dropped by the next edit.
 */
export type DastMark = 'strong' | 'emphasis' | 'code' | 'underline' | 'strikethrough';
export interface DastSpan {
  type: 'span';
  value: string;
  marks?: DastMark[];
}
export interface DastLink {
  type: 'link';
  url: string;
  children: DastSpan[];
}
export type DastInline = DastSpan | DastLink;
export interface DastParagraph {
  type: 'paragraph';
  children: DastInline[];
}
export interface DastHeading {
  type: 'heading';
  level: 1 | 2 | 3 | 4 | 5 | 6;
  children: DastInline[];
}
export interface DastListItem {
  type: 'listItem';
  children: (DastParagraph | DastList)[];
}
export interface DastList {
  type: 'list';
  style: 'bulleted' | 'numbered';
  children: DastListItem[];
}
export interface DastBlockquote {
  type: 'blockquote';
  children: DastParagraph[];
}
export interface DastCode {
  type: 'code';
  code: string;
  language?: string;
}
export interface DastThematicBreak {
  type: 'thematicBreak';
}
export type DastBlock = DastParagraph | DastHeading | DastList | DastBlockquote | DastCode | DastThematicBreak;
export interface DastDocument {
  schema: 'dast';
  document: { type: 'root'; children: DastBlock[] };
}

/**
 * Bounds on one document, checked before anything else walks it, so a hostile cell costs the
 * server one linear pass over at most this much (the request body limit is 1 MiB anyway).
 */
export const DAST_LIMITS = { nodes: 20_000, depth: 24, chars: 200_000 } as const;

export const DAST_MARKS: readonly DastMark[] = ['strong', 'emphasis', 'code', 'underline', 'strikethrough'];

const INLINE = ['span', 'link'];
/** Per node type: the attributes it may carry, and which children it may hold. */
const NODES: Record<string, { attrs: readonly string[]; children?: readonly string[] }> = {
  root: { attrs: ['children'], children: ['paragraph', 'heading', 'list', 'blockquote', 'code', 'thematicBreak'] },
  paragraph: { attrs: ['children'], children: INLINE },
  heading: { attrs: ['children', 'level'], children: INLINE },
  list: { attrs: ['children', 'style'], children: ['listItem'] },
  listItem: { attrs: ['children'], children: ['paragraph', 'list'] },
  blockquote: { attrs: ['children'], children: ['paragraph'] },
  code: { attrs: ['code', 'language'] },
  thematicBreak: { attrs: [] },
  span: { attrs: ['value', 'marks'] },
  link: { attrs: ['children', 'url'], children: ['span'] },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What is wrong with one node's own attributes (not its children), or null. */
function attributeProblem(type: string, node: Record<string, unknown>): string | null {
  switch (type) {
    case 'heading':
      return [1, 2, 3, 4, 5, 6].includes(node['level'] as number) ? null : 'a heading level must be 1 to 6';
    case 'list':
      return node['style'] === 'bulleted' || node['style'] === 'numbered' ? null : 'a list style must be "bulleted" or "numbered"';
    case 'code':
      if (typeof node['code'] !== 'string') return 'a code block needs its code as a string';
      return node['language'] === undefined || typeof node['language'] === 'string' ? null : 'a code language must be a string';
    case 'span': {
      if (typeof node['value'] !== 'string') return 'a span needs its value as a string';
      const marks = node['marks'];
      if (marks === undefined) return null;
      if (!Array.isArray(marks) || !marks.every((m) => DAST_MARKS.includes(m as DastMark))) return `span marks must be among ${DAST_MARKS.join(', ')}`;
      return null;
    }
    case 'link':
      return typeof node['url'] === 'string' && node['url'].length <= 2_000 ? null : 'a link needs a url (a string up to 2,000 characters)';
    default:
      return null;
  }
}

/**
 * Why `value` is not a structured-text document Inkstone accepts, or null when it is. One
 * iterative pass with an explicit stack (no recursion a deep document could overflow), that
 * stops at the first problem or the first bound crossed; DatoCMS's own `validate()` then
 * confirms the (now bounded) document.
 */
export function dastProblem(value: unknown): string | null {
  if (!isObject(value) || value['schema'] !== 'dast' || !isObject(value['document'])) {
    return 'must be a structured-text document: {"schema": "dast", "document": {"type": "root", …}}';
  }
  if (Object.keys(value).length !== 2) return 'a structured-text document has only "schema" and "document"';
  if (value['document']['type'] !== 'root') return 'the document node must be of type "root"';
  const stack: { node: unknown; depth: number; parent: string | null }[] = [{ node: value['document'], depth: 1, parent: null }];
  let nodes = 0;
  let chars = 0;
  while (stack.length > 0) {
    const { node, depth, parent } = stack.pop()!;
    if (++nodes > DAST_LIMITS.nodes) return `is too large: more than ${DAST_LIMITS.nodes} nodes`;
    if (depth > DAST_LIMITS.depth) return `is nested too deeply: more than ${DAST_LIMITS.depth} levels`;
    if (!isObject(node) || typeof node['type'] !== 'string' || !Object.hasOwn(NODES, node['type'])) {
      const type = isObject(node) && typeof node['type'] === 'string' ? `"${node['type'].slice(0, 40)}"` : 'a non-node';
      return `holds ${type}, which is not a supported node (${Object.keys(NODES).join(', ')})`;
    }
    const type = node['type'];
    const spec = NODES[type]!;
    if (parent !== null && !NODES[parent]!.children!.includes(type)) return `a "${parent}" may not hold a "${type}"`;
    const extra = Object.keys(node).find((k) => k !== 'type' && !spec.attrs.includes(k));
    if (extra !== undefined) return `a "${type}" has no attribute "${extra.slice(0, 40)}"`;
    const problem = attributeProblem(type, node);
    if (problem) return problem;
    for (const text of [node['value'], node['code'], node['url']]) if (typeof text === 'string') chars += text.length;
    if (chars > DAST_LIMITS.chars) return `is too long: more than ${DAST_LIMITS.chars} characters of text`;
    if (spec.children) {
      const children = node['children'];
      if (!Array.isArray(children) || children.length === 0) return `a "${type}" needs at least one child`;
      if (nodes + stack.length + children.length > DAST_LIMITS.nodes) return `is too large: more than ${DAST_LIMITS.nodes} nodes`;
      for (let i = children.length - 1; i >= 0; i--) stack.push({ node: children[i], depth: depth + 1, parent: type });
    }
  }
  const verdict = validate(value as unknown as Parameters<typeof validate>[0]);
  // Its message ends with the whole node pretty-printed: the first line says enough.
  return verdict.valid ? null : (verdict.message?.split('\n')[0] ?? 'is not a valid structured-text document');
}

export const isDastDocument = (value: unknown): value is DastDocument => dastProblem(value) === null;

/** An empty document: nothing but one empty paragraph (what an editor holds when cleared). */
export function isEmptyDast(value: unknown): boolean {
  if (!isDastDocument(value)) return false;
  const blocks = value.document.children;
  if (blocks.length !== 1 || blocks[0]!.type !== 'paragraph') return false;
  return blocks[0]!.children.every((c) => c.type === 'span' && c.value === '');
}

/** Plain text as DAST: one paragraph per paragraph of the text (blank lines split them), line breaks kept in spans. */
export function dastFromText(text: string): DastDocument {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const blocks: DastParagraph[] = (paragraphs.length ? paragraphs : ['']).map((p) => ({ type: 'paragraph', children: [{ type: 'span', value: p }] }));
  return { schema: 'dast', document: { type: 'root', children: blocks } };
}

/** The text of a document, paragraphs separated by blank lines (search, titles, previews). */
export function dastToText(doc: DastDocument): string {
  const out: string[] = [];
  const inline = (children: DastInline[]): string => children.map((c) => (c.type === 'span' ? c.value : inline(c.children))).join('');
  const block = (b: DastBlock | DastListItem): void => {
    if (b.type === 'paragraph' || b.type === 'heading') out.push(inline(b.children));
    else if (b.type === 'code') out.push(b.code);
    else if (b.type === 'list' || b.type === 'listItem' || b.type === 'blockquote') b.children.forEach(block);
  };
  doc.document.children.forEach(block);
  return out.join('\n\n');
}

/**
 * The value a required field starts with in a new record, so that the record is valid when it
 * is made (the user replaces it): "Untitled" for text-like fields, a paragraph saying so for
 * structured text; undefined where no neutral value exists.
 */
export function starterCell(type: string): string | DastDocument | undefined {
  if (type === 'string' || type === 'text') return 'Untitled';
  if (type === 'structured_text') return dastFromText('Untitled');
  return undefined;
}
