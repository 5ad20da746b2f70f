import { useEffect, useState } from 'react';
import { Command as Cmdk } from 'cmdk';
import { Dialog, Modal, ModalOverlay } from 'react-aria-components';
import { FileText, Search } from 'lucide-react';
import { useApp } from '../store';
import { useCommandRegistry, type Command } from './commands';
import { usePalette } from './palette';


const GROUPS: Command['group'][] = ['Go to', 'Models', 'Media', 'Actions', 'Records'];

/** Records whose title matches what is typed, read from the local store (the record list's channel), a few per model. */
function useRecordHits(query: string): Command[] {
  const { bridge, env, models, set } = useApp();
  const [hits, setHits] = useState<Command[]>([]);
  useEffect(() => {
    const q = query.trim();
    if (!bridge || !env || q.length < 2) return setHits([]);
    let live = true;
    const timer = setTimeout(() => {
      void Promise.all(models.map((m) => bridge.invoke('content.records', { env, model: m.id, search: q, limit: 5 }).then((r) => (r.ok ? r.value.map((row) => ({ row, model: m.name })) : [])))).then((lists) => {
        if (!live) return;
        setHits(
          lists.flat().map(({ row, model }) => ({
            id: `record:${row.id}`,
            label: row.title || row.id,
            group: 'Records',
            keywords: [model, q],
            run: () => set({ view: 'records', modelId: row.model, recordId: row.id }),
          })),
        );
      });
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [bridge, env, models, query, set]);
  return hits;
}

/** Ctrl/Cmd+K: every command the areas registered (ui/commands.ts) plus "go to record" over the local records. */
export default function CommandPalette() {
  const { open, setOpen } = usePalette();
  const [query, setQuery] = useState('');
  const sources = useCommandRegistry((s) => s.sources);
  const hits = useRecordHits(open ? query : '');
  const all = [...[...sources.values()].flat(), ...hits];
  useEffect(() => {
    if (!open) setQuery('');
  }, [open]);
  const run = (c: Command) => {
    setOpen(false);
    // After the modal has gone, so focus moves where the command sends it rather than back to the trigger.
    setTimeout(c.run, 0);
  };
  return (
    <ModalOverlay isOpen={open} onOpenChange={setOpen} isDismissable className="react-aria-ModalOverlay palette-overlay">
      <Modal className="react-aria-Modal palette-modal">
        <Dialog aria-label="Command palette" className="palette-dialog">
          <Cmdk label="Command palette" loop>
            <div className="palette-input">
              <Search aria-hidden className="palette-search-icon" />
              <Cmdk.Input autoFocus value={query} onValueChange={setQuery} placeholder="Type a command or search records…" aria-label="Command or record" />
              <kbd>Esc</kbd>
            </div>
            <Cmdk.List className="palette-list">
              <Cmdk.Empty className="palette-empty">Nothing matches “{query}”.</Cmdk.Empty>
              {GROUPS.map((g) => {
                const items = all.filter((c) => c.group === g);
                if (items.length === 0) return null;
                return (
                  <Cmdk.Group key={g} heading={g}>
                    {items.map((c) => (
                      <Cmdk.Item key={c.id} value={`${c.label} ${c.id}`} keywords={c.keywords} onSelect={() => run(c)}>
                        {c.group === 'Records' && <FileText aria-hidden className="palette-item-icon" />}
                        <span className="palette-label">{c.label}</span>
                        {c.group === 'Records' && <span className="muted palette-meta">{c.keywords?.[0]}</span>}
                        {c.shortcut && <kbd>{c.shortcut}</kbd>}
                      </Cmdk.Item>
                    ))}
                  </Cmdk.Group>
                );
              })}
            </Cmdk.List>
          </Cmdk>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
