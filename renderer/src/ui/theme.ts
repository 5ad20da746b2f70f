import { create } from 'zustand';

export type ThemePreference = 'system' | 'light' | 'dark';
const KEY = 'inkstone.theme';
const media = () => window.matchMedia('(prefers-color-scheme: dark)');

function stored(): ThemePreference {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** What the page shows: the user's choice, or the OS's when they chose "system". */
export const resolveTheme = (p: ThemePreference): 'light' | 'dark' => (p === 'system' ? (media().matches ? 'dark' : 'light') : p);

const apply = (p: ThemePreference) => document.documentElement.setAttribute('data-theme', resolveTheme(p));

interface ThemeState {
  preference: ThemePreference;
  setPreference: (p: ThemePreference) => void;
  /** Flips between light and dark (what the palette's "Toggle theme" does), leaving "system". */
  toggle: () => void;
}

export const useTheme = create<ThemeState>((set, get) => ({
  preference: 'system',
  setPreference: (preference) => {
    if (preference === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, preference);
    apply(preference);
    set({ preference });
  },
  toggle: () => get().setPreference(resolveTheme(get().preference) === 'dark' ? 'light' : 'dark'),
}));

/** Applies the kept choice before the first render (no flash of the wrong theme) and follows the OS while on "system". */
export function initTheme(): void {
  const preference = stored();
  useTheme.setState({ preference });
  apply(preference);
  media().addEventListener('change', () => apply(useTheme.getState().preference));
}
