import { Button, Label, ListBox, ListBoxItem, Popover, Select, SelectValue } from 'react-aria-components';
import { ChevronsUpDown, FlaskConical, Database } from 'lucide-react';

export interface Environment {
  id: string;
  primary: boolean;
}

/**
 * Which environment the workspace shows. Sandboxes say so in words ("sandbox") and in colour,
 * here and in the header's bar, so nobody edits staging thinking it is live (or the reverse).
 */
export function EnvironmentSwitcher({ envs, value, onChange }: { envs: Environment[]; value: string | null; onChange: (id: string) => void }) {
  return (
    <Select className="react-aria-Select env-switcher" value={value} onChange={(k) => k !== null && onChange(String(k))} isDisabled={envs.length === 0}>
      <Label className="visually-hidden">Environment</Label>
      <Button className="btn env-button">
        <SelectValue<Environment>>
          {({ selectedItem }) =>
            selectedItem ? (
              <>
                {selectedItem.primary ? <Database aria-hidden /> : <FlaskConical aria-hidden />}
                <span>{selectedItem.id}</span>
                <span className="muted env-kind">{selectedItem.primary ? 'primary' : 'sandbox'}</span>
              </>
            ) : (
              'Environment'
            )
          }
        </SelectValue>
        <ChevronsUpDown aria-hidden className="btn-icon" />
      </Button>
      <Popover placement="bottom start">
        <ListBox items={envs} aria-label="Environments">
          {(e) => (
            <ListBoxItem id={e.id} textValue={`${e.id}${e.primary ? ' (primary)' : ' (sandbox)'}`}>
              {e.primary ? <Database aria-hidden /> : <FlaskConical aria-hidden />}
              <span className="env-name">{e.id}</span>
              <span className={e.primary ? 'pill published' : 'pill sandbox'}>{e.primary ? 'Primary' : 'Sandbox'}</span>
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}
