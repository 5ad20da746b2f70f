import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';
import type { Model, Values } from '../../../shared/domain';
import { localeName, translated } from './labels';

export const NO_SOURCE = '__none__';

/**
 * The locale being edited (tabs, each with how many localized fields it has filled and a
 * mark where the publish check finds a problem) and, to translate, the locale shown beside
 * it read-only.
 */
export function LocaleBar({
  model,
  values,
  locales,
  locale,
  onLocale,
  source,
  onSource,
  problemLocales,
}: {
  model: Model;
  values: Values;
  locales: readonly string[];
  locale: string;
  onLocale: (l: string) => void;
  source: string;
  onSource: (l: string) => void;
  problemLocales: ReadonlySet<string>;
}) {
  if (!model.fields.some((f) => f.localized)) return null;
  const here = translated(model, values, locale);
  return (
    <div className="locale-bar">
      <div role="tablist" aria-label="Locales" className="locales">
        {locales.map((l) => {
          const t = translated(model, values, l);
          return (
            <button key={l} role="tab" aria-selected={l === locale} className={`locale-tab${t.done < t.total ? ' incomplete' : ''}`} onClick={() => onLocale(l)} aria-label={l} title={localeName(l)}>
              {l}
              <span className="progress" aria-hidden="true">
                {t.done}/{t.total}
              </span>
              {problemLocales.has(l) && (
                <span className="dot" aria-hidden="true">
                  •
                </span>
              )}
            </button>
          );
        })}
      </div>
      <p className="muted translated" data-testid="translation-progress">
        {localeName(locale)}: {here.done} of {here.total} localized fields filled
      </p>
      {locales.length > 1 && (
        <Select className="source-select" selectedKey={source} onSelectionChange={(k) => onSource(String(k))}>
          <Label>Compare with</Label>
          <Button className="btn">
            <SelectValue />
            <span aria-hidden="true"> ▾</span>
          </Button>
          <Popover className="popover">
            <ListBox className="listbox">
              <ListBoxItem id={NO_SOURCE} className="listbox-item">
                No source
              </ListBoxItem>
              {locales
                .filter((l) => l !== locale)
                .map((l) => (
                  <ListBoxItem key={l} id={l} className="listbox-item">
                    {localeName(l)}
                  </ListBoxItem>
                ))}
            </ListBox>
          </Popover>
        </Select>
      )}
    </div>
  );
}
