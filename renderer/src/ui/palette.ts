import { create } from 'zustand';

/** Whether the command palette is open; apart from the palette so opening it does not load it (it is its own chunk). */
export const usePalette = create<{ open: boolean; setOpen: (open: boolean) => void }>((set) => ({ open: false, setOpen: (open) => set({ open }) }));
