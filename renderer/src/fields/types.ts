import type { Field, Json } from '../../../shared/domain';

/**
 * What every control takes. The record editor renders the label (`<label htmlFor={id}>`) and
 * the error message around it; the control carries `id`, `aria-describedby` and, when
 * `invalid`, `aria-invalid`, and shows read-only as read-only (not only as disabled).
 */
export interface FieldControlProps {
  id: string;
  field: Field;
  value: Json;
  readOnly: boolean;
  describedBy?: string;
  invalid?: boolean;
  onChange: (v: Json) => void;
}
