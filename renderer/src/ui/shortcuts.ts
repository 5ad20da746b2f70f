import { useEffect, useMemo } from 'react';
import { useApp } from '../store';
import { flushSaves } from '../autosave';
import { mayUseMedia } from '../media/access';
import { useCommands, type Command } from './commands';
import { usePalette } from './palette';
import { usePanels } from './panels';
import { useTheme } from './theme';

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
export const MOD = mac ? '⌘' : 'Ctrl+';

/**
 * The chrome's keys, on the window so they work from any field: Ctrl/Cmd+K palette, +S sync,
 * +B sidebar, +Shift+L record list, +J sync panel. Ctrl+S is taken from the browser (no "save page").
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A control that handled the key keeps it: in the rich-text body Ctrl+K is "link" and Ctrl+B "bold".
      if (e.defaultPrevented || !(mac ? e.metaKey : e.ctrlKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      const act =
        key === 'k' && !e.shiftKey
          ? () => usePalette.getState().setOpen(!usePalette.getState().open)
          : key === 's' && !e.shiftKey
            ? () => {
                const app = useApp.getState();
                if (app.status?.signedIn && !app.syncing) void app.sync();
                else void flushSaves();
              }
            : key === 'b' && !e.shiftKey
              ? () => usePanels.getState().toggle('nav')
              : key === 'l' && e.shiftKey
                ? () => usePanels.getState().toggle('list')
                : key === 'j' && !e.shiftKey
                  ? () => usePanels.getState().toggle('sync')
                  : null;
      if (!act) return;
      e.preventDefault();
      act();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** What the chrome itself offers in the palette: go to each model and Media, sync, theme, panels, sign out. */
export function useChromeCommands(onSignOut: () => void): void {
  const { models, status, set, sync, permissions, env } = useApp();
  const signedIn = status?.signedIn ?? false;
  const media = signedIn && mayUseMedia(permissions, env);
  const commands = useMemo<Command[]>(
    () => [
      ...models.map((m): Command => ({ id: `model:${m.id}`, label: m.name, group: 'Models', keywords: ['go to', 'model', m.id], run: () => set({ view: 'records', modelId: m.id, recordId: null }) })),
      ...(media ? [{ id: 'go:media', label: 'Media library', group: 'Go to', keywords: ['assets', 'images', 'files'], run: () => set({ view: 'media' }) } satisfies Command] : []),
      { id: 'go:sync', label: 'Sync activity and problems', group: 'Go to', shortcut: `${MOD}J`, keywords: ['conflicts', 'pending'], run: () => usePanels.getState().setCollapsed('sync', false) },
      ...(signedIn ? [{ id: 'sync:now', label: 'Sync now', group: 'Actions', shortcut: `${MOD}S`, run: () => void sync() } satisfies Command] : []),
      { id: 'theme:toggle', label: 'Toggle light/dark theme', group: 'Actions', keywords: ['dark mode', 'appearance'], run: () => useTheme.getState().toggle() },
      { id: 'panels:nav', label: 'Toggle sidebar', group: 'Actions', shortcut: `${MOD}B`, run: () => usePanels.getState().toggle('nav') },
      { id: 'panels:list', label: 'Toggle record list', group: 'Actions', shortcut: `${MOD}Shift+L`, run: () => usePanels.getState().toggle('list') },
      ...(signedIn ? [{ id: 'session:signout', label: 'Sign out…', group: 'Actions', keywords: ['log out'], run: onSignOut } satisfies Command] : []),
    ],
    [models, signedIn, media, set, sync, onSignOut],
  );
  useCommands('chrome', commands);
}
