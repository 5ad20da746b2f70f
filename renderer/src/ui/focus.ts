/** Moves the focus to the element once it is there (a view switched to may take a few frames to show it). */
export function focusWhenShown(id: string, frames = 60): void {
  const el = document.getElementById(id);
  if (el) el.focus();
  else if (frames > 0) requestAnimationFrame(() => focusWhenShown(id, frames - 1));
}
