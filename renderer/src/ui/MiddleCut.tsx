/** How many characters at the end of a long name always show. */
const TAIL = 12;

/**
 * A name cut in its middle when it does not fit, its end always shown: files of one shoot or
 * one campaign differ at the end ("…-v1.jpg", "…-v2.jpg"), and cut at the end they looked alike
 * in the picker (persona walk). Every character stays in the text, so a screen reader, a search
 * and a copy get the whole name; the tooltip shows it too.
 */
export function MiddleCut({ text, className }: { text: string; className?: string }) {
  const cut = text.length > TAIL * 2;
  return (
    <span className={`middle-cut${className ? ` ${className}` : ''}`} title={text}>
      <span className="middle-cut-head">{cut ? text.slice(0, -TAIL) : text}</span>
      {cut && <span className="middle-cut-tail">{text.slice(-TAIL)}</span>}
    </span>
  );
}
