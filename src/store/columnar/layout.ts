/**
 * The store's column list (the field table plus `time`, the instant a flow is
 * accounted at) and how each abstract kind sits in a columnar batch.
 */
import { FIELDS, type FieldDef, type FieldKind } from '../../schema/fields.ts';

/** A stored column: a flow field, or the store's own `time`. */
export interface StoreColumn {
  readonly name: string;
  readonly kind: FieldKind;
  /** The field-table row (undefined for `time`). */
  readonly field: FieldDef | undefined;
  /** Never null in the store. */
  readonly required: boolean;
}

/** Time the flow is accounted at: its end, else its start, else when it was stored. */
export const TIME_COLUMN = 'time';

const REQUIRED = new Set(['type', 'exporter', 'bytes', 'packets']);

/** Every stored column, in table order: `time` first, then the field table. */
export const STORE_COLUMNS: readonly StoreColumn[] = [
  { name: TIME_COLUMN, kind: 'time', field: undefined, required: true },
  ...FIELDS.map((f) => ({ name: f.name, kind: f.kind, field: f, required: REQUIRED.has(f.name) })),
];

/**
 * How a kind is laid out in a batch: `words` 32-bit words per row (little
 * endian, the engine's in-memory layout), or bytes per row for 8/16-bit and
 * float columns; `dict` kinds are dictionary codes; `list` kinds carry offsets.
 */
export type Storage =
  | { readonly t: 'u8' }
  | { readonly t: 'u16' }
  | { readonly t: 'words'; readonly n: 1 | 2 | 4 }
  | { readonly t: 'f64' }
  | { readonly t: 'dict' }
  | { readonly t: 'list' };

/** The batch storage of a kind. */
export function storageOf(kind: FieldKind): Storage {
  switch (kind) {
    case 'u8':
    case 'enum':
      return { t: 'u8' };
    case 'u16':
      return { t: 'u16' };
    case 'u32':
      return { t: 'words', n: 1 };
    case 'u64':
    case 'mac':
    case 'time':
      return { t: 'words', n: 2 };
    case 'ip':
      return { t: 'words', n: 4 };
    case 'float':
      return { t: 'f64' };
    case 'lowcard':
    case 'string':
    case 'json':
      return { t: 'dict' };
    case 'u32list':
      return { t: 'list' };
  }
}

/** Bytes per row of a fixed-width storage (dict codes are 4, list entries 16 in DuckDB). */
export function rowBytes(s: Storage): number {
  switch (s.t) {
    case 'u8':
      return 1;
    case 'u16':
      return 2;
    case 'words':
      return 4 * s.n;
    case 'f64':
      return 8;
    case 'dict':
      return 4;
    case 'list':
      return 16;
  }
}
