import { useCallback } from 'react';
import { Group, Input, NumberField, Switch } from 'react-aria-components';
import { Button } from 'react-aria-components';
import { Minus, Plus } from 'lucide-react';
import type { FieldControlProps } from './types';
import { useLabelledBy } from './label';

/** boolean: a switch that says its state in words too. */
export function BooleanField({ id, field, value, readOnly, describedBy, invalid, onChange }: FieldControlProps) {
  const focus = useCallback(() => document.getElementById(id)?.focus(), [id]);
  const labelledBy = useLabelledBy(`${id}`, focus);
  return (
    <Switch
      id={id}
      className={`switch${readOnly ? ' is-readonly' : ''}`}
      isSelected={value === true}
      isReadOnly={readOnly}
      aria-labelledby={labelledBy}
      aria-label={labelledBy ? undefined : field.label}
      aria-describedby={describedBy}
      {...(invalid ? { 'aria-invalid': true } : {})}
      onChange={(on) => onChange(on)}
    >
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
      <span className="switch-text">{value === true ? 'Yes' : 'No'}</span>
    </Switch>
  );
}

/** integer and float: React Aria's NumberField (locale-aware digits and separators, steppers, arrow keys). */
export function NumberInputField({ id, field, value, readOnly, describedBy, invalid, onChange }: FieldControlProps) {
  const focus = useCallback(() => document.getElementById(id)?.focus(), [id]);
  const labelledBy = useLabelledBy(id, focus);
  const range = field.validators.range;
  return (
    <NumberField
      className="number-field"
      value={typeof value === 'number' ? value : NaN}
      minValue={range?.min}
      maxValue={range?.max}
      step={field.type === 'integer' ? 1 : undefined}
      formatOptions={field.type === 'integer' ? { maximumFractionDigits: 0, useGrouping: false } : { maximumFractionDigits: 20, useGrouping: false }}
      isReadOnly={readOnly}
      isInvalid={invalid}
      aria-labelledby={labelledBy}
      aria-label={labelledBy ? undefined : field.label}
      aria-describedby={describedBy}
      onChange={(n) => onChange(Number.isNaN(n) ? null : n)}
    >
      <Group className="input number-group">
        <Input id={id} className="number-input" />
        {!readOnly && (
          <>
            <Button slot="decrement" className="btn quiet" aria-label="Decrease">
              <Minus />
            </Button>
            <Button slot="increment" className="btn quiet" aria-label="Increase">
              <Plus />
            </Button>
          </>
        )}
      </Group>
    </NumberField>
  );
}
