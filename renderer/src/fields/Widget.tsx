import type { FieldControlProps } from './types';
import { LinkPicker } from '../LinkPicker';
import { AssetPicker } from '../media/AssetPicker';
import { RichTextField } from './RichTextField';
import { JsonField } from './JsonField';
import { SeoField } from './SeoField';
import { DateTimeField } from './DateFields';
import { BooleanField, NumberInputField } from './ChoiceFields';
import { StringField, TextAreaField } from './TextFields';
import './fields.css';


/**
 * The control for one field's type. The record editor renders the label (for `id`) and the
 * messages around it; every control takes `id`, `aria-describedby`, `aria-invalid` (from
 * `invalid`) and shows read-only as such.
 */
export function Widget(props: FieldControlProps) {
  const { id, field, value, readOnly, onChange } = props;
  switch (field.type) {
    case 'structured_text':
      return <RichTextField {...props} />;
    case 'text':
      return <TextAreaField {...props} />;
    case 'boolean':
      return <BooleanField {...props} />;
    case 'integer':
    case 'float':
      return <NumberInputField {...props} />;
    case 'date':
    case 'datetime':
      return <DateTimeField {...props} />;
    case 'json':
      return <JsonField {...props} />;
    case 'seo':
      return <SeoField {...props} />;
    case 'asset':
      return <AssetPicker id={id} label={field.label} value={value} readOnly={readOnly} onChange={onChange} accept={field.validators.assetTypes} />;
    case 'link':
    case 'links':
      return <LinkPicker {...props} />;
    case 'string':
    case 'slug':
      return <StringField {...props} />;
  }
}
