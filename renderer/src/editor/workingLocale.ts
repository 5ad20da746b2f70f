import { create } from 'zustand';

/**
 * The locale being edited, shared by the record list (titles) and the editor. null until
 * the first record opens: then it is the first locale the role may write (a translator
 * starts in their language); after that, the one the user picks.
 */
export const useWorkingLocale = create<{ locale: string | null; set: (l: string) => void }>((set) => ({ locale: null, set: (locale) => set({ locale }) }));
