/** A flow field's value as shown in tables, and the filter that selects it (drill-down). */
import type { ReactNode } from 'react';
import type { FieldInfo } from '../fields.ts';
import { countryName, flag, fmtBytes, fmtCount, fmtTime, protoName } from '../format.ts';

export function renderValue(f: FieldInfo, v: string | number | undefined): ReactNode {
  if (v === undefined || v === null || v === '') return <span className="muted">–</span>;
  switch (f.kind) {
    case 'time':
      return fmtTime(Number(v));
    case 'bytes':
      return fmtBytes(Number(v));
    case 'count':
      return fmtCount(Number(v));
    case 'us':
      return `${(Number(v) / 1000).toFixed(1)} ms`;
    case 'proto':
      return protoName(v);
    case 'country':
      return (
        <span title={countryName(String(v))}>
          {flag(String(v))} {String(v)}
        </span>
      );
    case 'as':
      return `AS${v}`;
    case 'addr':
      return <span className="mono">{String(v)}</span>;
    case 'int':
    case 'text':
      return String(v);
  }
}

/** Fields whose values can be filtered on. */
export function filterable(f: FieldInfo): boolean {
  return f.kind !== 'time' && f.kind !== 'bytes' && f.kind !== 'count' && f.kind !== 'us';
}
