import { create } from 'zustand';

/** A passing message at the window's corner (saved, deleted with undo, failed). The chrome renders them. */
export interface Toast {
  id: number;
  tone: 'info' | 'success' | 'warning' | 'danger';
  title: string;
  description?: string;
  /** One action, e.g. Undo; pressing it dismisses the toast. */
  action?: { label: string; onPress: () => void };
  /** ms before it leaves by itself; null stays until dismissed (errors the user must act on). */
  timeoutMs: number | null;
}

interface Toasts {
  toasts: Toast[];
  dismiss: (id: number) => void;
}

let next = 1;
export const useToasts = create<Toasts>((set) => ({
  toasts: [],
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Shows a toast; returns its id (to dismiss it early, e.g. when the undoable work has synced). */
export function toast(t: Omit<Toast, 'id' | 'timeoutMs' | 'tone'> & Partial<Pick<Toast, 'timeoutMs' | 'tone'>>): number {
  const id = next++;
  const full: Toast = { tone: 'info', timeoutMs: t.action ? 10_000 : 5_000, ...t, id };
  useToasts.setState((s) => ({ toasts: [...s.toasts.slice(-4), full] }));
  return id;
}
