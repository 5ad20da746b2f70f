import { create } from 'zustand';

export type PanelName = 'nav' | 'list' | 'sync';
const KEY = 'inkstone.panels';

interface PanelsState {
  navCollapsed: boolean;
  listCollapsed: boolean;
  /** The sync panel (pending, problems, conflicts) on the right; shut unless asked for or something needs attention. */
  syncOpen: boolean;
  toggle: (p: PanelName) => void;
  setCollapsed: (p: PanelName, collapsed: boolean) => void;
}

function kept(): Pick<PanelsState, 'navCollapsed' | 'listCollapsed'> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Record<string, unknown>>;
    return { navCollapsed: v['navCollapsed'] === true, listCollapsed: v['listCollapsed'] === true };
  } catch {
    return { navCollapsed: false, listCollapsed: false };
  }
}

const field = { nav: 'navCollapsed', list: 'listCollapsed' } as const;

/** Which side panels are shut; nav and list are remembered across launches (the sizes are kept by the panel group). */
export const usePanels = create<PanelsState>((set, get) => ({
  ...kept(),
  syncOpen: false,
  toggle: (p) => (p === 'sync' ? set({ syncOpen: !get().syncOpen }) : get().setCollapsed(p, !get()[field[p]])),
  setCollapsed: (p, collapsed) => {
    if (p === 'sync') return set({ syncOpen: !collapsed });
    if (get()[field[p]] === collapsed) return;
    set({ [field[p]]: collapsed });
    const { navCollapsed, listCollapsed } = get();
    localStorage.setItem(KEY, JSON.stringify({ navCollapsed, listCollapsed }));
  },
}));
