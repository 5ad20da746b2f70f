// The field controls live in fields/; the record editor imports Widget from here.
export { Widget } from './fields/Widget';
export type { FieldControlProps } from './fields/types';
