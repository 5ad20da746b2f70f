import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Output } from '../../../shared/ipc/contract';

export type Folder = Output<'content.folders'>[number];

interface Node {
  folder: Folder;
  level: number;
  /** A readable folder under an unreadable parent is a root and shows its whole path. */
  label: string;
  hasChildren: boolean;
  parent: string | null;
}

/** Depth-first rows of the readable folders, each under its nearest readable parent. */
function rows(folders: Folder[], collapsed: ReadonlySet<string>): Node[] {
  const ids = new Set(folders.map((f) => f.id));
  const children = new Map<string | null, Folder[]>();
  for (const f of folders) {
    const parent = f.parentId !== null && ids.has(f.parentId) ? f.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), f]);
  }
  const out: Node[] = [];
  const walk = (parent: string | null, level: number) => {
    for (const f of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name))) {
      const hasChildren = (children.get(f.id) ?? []).length > 0;
      out.push({ folder: f, level, label: parent === null ? f.path : f.name, hasChildren, parent });
      if (hasChildren && !collapsed.has(f.id)) walk(f.id, level + 1);
    }
  };
  walk(null, 1);
  return out;
}

/**
 * The folders this role may read, as a WAI-ARIA tree: arrows move and open/close,
 * Home/End jump, Enter or a click selects. Folders the role may not upload into say so.
 */
export function FolderTree({ folders, selected, onSelect }: { folders: Folder[]; selected: string; onSelect: (id: string) => void }) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [focused, setFocused] = useState<string | null>(null);
  const list = useMemo(() => rows(folders, collapsed), [folders, collapsed]);
  const refs = useRef(new Map<string, HTMLLIElement>());
  const current = list.find((n) => n.folder.id === (focused ?? selected)) ?? list[0];

  const focus = (id: string | undefined) => {
    if (!id) return;
    setFocused(id);
    refs.current.get(id)?.focus();
  };
  const toggle = (id: string, open: boolean) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (open) next.delete(id);
      else next.add(id);
      return next;
    });

  function onKeyDown(e: KeyboardEvent, node: Node, index: number) {
    const id = node.folder.id;
    const open = node.hasChildren && !collapsed.has(id);
    const keys: Record<string, () => void> = {
      ArrowDown: () => focus(list[index + 1]?.folder.id),
      ArrowUp: () => focus(list[index - 1]?.folder.id),
      Home: () => focus(list[0]?.folder.id),
      End: () => focus(list.at(-1)?.folder.id),
      ArrowRight: () => (node.hasChildren && !open ? toggle(id, true) : open ? focus(list[index + 1]?.folder.id) : undefined),
      ArrowLeft: () => (open ? toggle(id, false) : focus(node.parent ?? undefined)),
      Enter: () => onSelect(id),
      ' ': () => onSelect(id),
    };
    const act = keys[e.key];
    if (!act) return;
    e.preventDefault();
    act();
  }

  if (list.length === 0) return <p>No folder here is readable by your role.</p>;
  return (
    <ul role="tree" aria-label="Folders" className="folder-tree">
      {list.map((node, i) => {
        const id = node.folder.id;
        return (
          <li
            key={id}
            ref={(el) => {
              if (el) refs.current.set(id, el);
              else refs.current.delete(id);
            }}
            role="treeitem"
            aria-level={node.level}
            aria-selected={id === selected}
            aria-expanded={node.hasChildren ? !collapsed.has(id) : undefined}
            tabIndex={id === current?.folder.id ? 0 : -1}
            title={node.folder.path}
            data-level={Math.min(node.level, 6)}
            onClick={() => (setFocused(id), onSelect(id))}
            onKeyDown={(e) => onKeyDown(e, node, i)}
          >
            {node.hasChildren ? (
              <span
                aria-hidden="true"
                className="twisty"
                onClick={(e) => {
                  e.stopPropagation();
                  toggle(id, collapsed.has(id));
                }}
              >
                {collapsed.has(id) ? '▸' : '▾'}
              </span>
            ) : (
              <span aria-hidden="true" className="twisty" />
            )}
            {node.label}
            {!node.folder.canUpload && <span className="badge"> read-only</span>}
          </li>
        );
      })}
    </ul>
  );
}
