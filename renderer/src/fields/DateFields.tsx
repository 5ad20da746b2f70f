import { useCallback } from 'react';
import { Button, Calendar, CalendarCell, CalendarGrid, DateInput, DatePicker, DateSegment, Dialog, Group, Heading, Popover } from 'react-aria-components';
import { parseAbsoluteToLocal, parseDate, type CalendarDate, type ZonedDateTime } from '@internationalized/date';
import { CalendarDays, ChevronLeft, ChevronRight } from 'lucide-react';
import type { FieldControlProps } from './types';
import { useLabelledBy } from './label';

/** A stored value that does not parse shows as empty rather than breaking the editor. */
function parse<T>(value: unknown, fn: (s: string) => T): T | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    return fn(value);
  } catch {
    return null;
  }
}

/**
 * date and datetime: React Aria's DatePicker, in the user's locale (React Aria reads
 * navigator.language: 31.01.2026 in German, 1/31/2026 in US English), stored as today:
 * an ISO date, or an ISO date-time in UTC. A datetime is edited in the local time zone.
 */
export function DateTimeField({ id, field, value, readOnly, describedBy, invalid, onChange }: FieldControlProps) {
  const withTime = field.type === 'datetime';
  const focus = useCallback(() => document.querySelector<HTMLElement>(`#${CSS.escape(id)} [role="spinbutton"]`)?.focus(), [id]);
  const labelledBy = useLabelledBy(id, focus);
  const current: CalendarDate | ZonedDateTime | null = withTime ? parse(value, parseAbsoluteToLocal) : parse(value, parseDate);
  return (
    <DatePicker<CalendarDate | ZonedDateTime>
      id={id}
      className={`date-field${readOnly ? ' is-readonly' : ''}`}
      aria-labelledby={labelledBy}
      aria-label={labelledBy ? undefined : field.label}
      aria-describedby={describedBy}
      value={current}
      granularity={withTime ? 'minute' : 'day'}
      hideTimeZone
      isReadOnly={readOnly}
      isInvalid={invalid}
      onChange={(v) => {
        if (!v) return onChange(null);
        onChange('timeZone' in v ? v.toDate().toISOString().replace(/\.000Z$/, 'Z') : v.toString());
      }}
    >
      <Group className="input date-group">
        <DateInput className="date-input">{(segment) => <DateSegment segment={segment} className="date-segment" />}</DateInput>
        {!readOnly && (
          <Button className="btn quiet" aria-label="Choose from a calendar">
            <CalendarDays />
          </Button>
        )}
      </Group>
      <Popover className="date-popover" placement="bottom start">
        <Dialog className="date-dialog" aria-label={`${field.label}: calendar`}>
          <Calendar>
            <header className="date-calendar-header">
              <Button slot="previous" className="btn quiet" aria-label="Previous month">
                <ChevronLeft />
              </Button>
              <Heading className="date-calendar-title" />
              <Button slot="next" className="btn quiet" aria-label="Next month">
                <ChevronRight />
              </Button>
            </header>
            <CalendarGrid className="date-grid">{(date) => <CalendarCell date={date} className="date-cell" />}</CalendarGrid>
          </Calendar>
        </Dialog>
      </Popover>
    </DatePicker>
  );
}
