import { useEffect } from 'react';
import { create } from 'zustand';

/** One entry of the command palette (Ctrl/Cmd+K): go to a record, model or folder, or run an action. */
export interface Command {
  id: string;
  /** What the palette lists and matches on. */
  label: string;
  group: 'Go to' | 'Records' | 'Models' | 'Media' | 'Actions';
  /** Shown at the right, e.g. "Ctrl+S". */
  shortcut?: string;
  keywords?: string[];
  run: () => void;
}

interface Registry {
  sources: Map<string, Command[]>;
  all: () => Command[];
}

export const useCommandRegistry = create<Registry>((_set, get) => ({
  sources: new Map(),
  all: () => [...get().sources.values()].flat(),
}));

/**
 * Offers commands while the calling component is mounted: each area (records, media, editor)
 * registers what it can do under its own source name, so the palette only lists what the
 * user can do here and now (permissions included: do not register what the role may not do).
 */
export function useCommands(source: string, commands: Command[]): void {
  useEffect(() => {
    useCommandRegistry.setState((s) => ({ sources: new Map(s.sources).set(source, commands) }));
    return () =>
      useCommandRegistry.setState((s) => {
        const sources = new Map(s.sources);
        sources.delete(source);
        return { sources };
      });
  }, [source, commands]);
}
