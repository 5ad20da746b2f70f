import { useEffect, useState } from 'react';

/**
 * The id of the `<label for={id}>` the editor renders, for controls that are not labelable
 * elements (a contenteditable, a CodeMirror view): they name themselves with aria-labelledby.
 * The label gets an id if it has none; clicking it moves the focus into the control.
 */
export function useLabelledBy(id: string, focus: () => void): string | undefined {
  const [labelId, setLabelId] = useState<string | undefined>(undefined);
  useEffect(() => {
    const label = document.querySelector<HTMLLabelElement>(`label[for="${CSS.escape(id)}"]`);
    if (!label) return;
    if (!label.id) label.id = `${id}-label`;
    setLabelId(label.id);
    const onClick = () => focus();
    label.addEventListener('click', onClick);
    return () => label.removeEventListener('click', onClick);
  }, [id, focus]);
  return labelId;
}
