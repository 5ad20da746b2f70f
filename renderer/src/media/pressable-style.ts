/**
 * React Aria's usePress injects one <style id="react-aria-pressable-style"> into <head>; the
 * renderer's CSP (no inline styles) blocks it and logs a violation. It skips the injection
 * when an element with that id exists, so one stands in, and its one rule lives in
 * media.css instead. (The chrome may hoist this to main.tsx for every area.)
 */
const ID = 'react-aria-pressable-style';
if (typeof document !== 'undefined' && !document.getElementById(ID)) {
  const stand = document.createElement('meta');
  stand.id = ID;
  document.head.appendChild(stand);
}
export {};
