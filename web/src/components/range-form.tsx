/** Two datetime inputs (local time) and an Apply button, for a fixed time range. */
import type { ReactElement } from 'react';

/** Epoch ms <-> the value of an <input type="datetime-local"> (local time, minutes). */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}
const fromLocalInput = (v: string): number => new Date(v).getTime();

/** Two datetime inputs and an Apply button; `onApply` gets epoch ms. */
export function RangeForm(props: {
  label: string;
  from: number;
  to: number;
  onApply: (from: number, to: number) => void;
  testId: string;
}): ReactElement {
  return (
    <form
      className="range-form"
      aria-label={props.label}
      data-testid={props.testId}
      key={`${props.from}-${props.to}`}
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const from = fromLocalInput(String(f.get('from')));
        const to = fromLocalInput(String(f.get('to')));
        if (Number.isFinite(from) && Number.isFinite(to) && from < to) props.onApply(from, to);
      }}
    >
      <label>
        From <input type="datetime-local" name="from" defaultValue={toLocalInput(props.from)} required />
      </label>
      <label>
        To <input type="datetime-local" name="to" defaultValue={toLocalInput(props.to)} required />
      </label>
      <button type="submit" className="btn">
        Apply
      </button>
    </form>
  );
}
