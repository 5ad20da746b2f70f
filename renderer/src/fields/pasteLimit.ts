import { useState, type ClipboardEvent } from 'react';

type Control = HTMLInputElement | HTMLTextAreaElement;

/**
 * A control with `maxLength` cuts a longer paste to what fits, without a word: a 500-character
 * title pasted into a 200-character field kept its first 200 and looked whole (found in a
 * persona walk). A paste that would not fit is refused instead, and `refused` says why, as the
 * Body's size guard does; the clipboard still holds the text. Typing up to the limit is left to
 * the control and its counter.
 */
export function usePasteLimit(label: string, max: number | undefined) {
  const [refused, setRefused] = useState<string | null>(null);
  const onPaste = (e: ClipboardEvent<Control>) => {
    if (max === undefined) return;
    const el = e.currentTarget;
    const pasted = e.clipboardData.getData('text/plain');
    const selected = (el.selectionEnd ?? 0) - (el.selectionStart ?? 0);
    const length = el.value.length - selected + pasted.length;
    if (length <= max) return setRefused(null);
    e.preventDefault();
    setRefused(`Not pasted: ${label} holds at most ${max} characters, and with the pasted text it would have ${length}. Nothing was changed.`);
  };
  return { refused, onPaste, clear: () => setRefused(null) };
}
