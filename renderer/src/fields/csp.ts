/**
 * React Aria's usePress adds a <style> element to <head> (touch-action on pressables) unless
 * an element with its id is there already; the renderer's CSP forbids <style> elements, so
 * every press logged a violation. A placeholder with that id stops it, and the rule itself is
 * in fields.css. (Best moved to main.tsx/index.html with the app's other global set-up.)
 */
const STYLE_ID = 'react-aria-pressable-style';

export function quietReactAriaStyle(): void {
  if (typeof document === 'undefined' || document.getElementById(STYLE_ID)) return;
  const placeholder = document.createElement('meta');
  placeholder.id = STYLE_ID;
  document.head.append(placeholder);
}
