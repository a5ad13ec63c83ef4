/**
 * The filter AST. Values are already checked against the field's kind, so
 * rendering only formats them: addresses are 128-bit ranges (a single
 * address is a range of one), MACs numbers, enums one of their values.
 */
import type { FieldDef } from '../../schema/fields.ts';

export type CompareOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

/** A checked value: an integer, a text, or an address range [lo, hi]. */
export type FilterValue =
  | { readonly t: 'int'; readonly v: number }
  | { readonly t: 'text'; readonly v: string }
  | { readonly t: 'range'; readonly lo: bigint; readonly hi: bigint };

/** A node of a parsed filter. */
export type FilterNode =
  | { readonly t: 'and' | 'or'; readonly left: FilterNode; readonly right: FilterNode }
  | { readonly t: 'not'; readonly expr: FilterNode }
  /** `field op value`; `in` lists are `=` with several values (any matches), `not in` `!=` (none matches). */
  | {
      readonly t: 'cmp';
      readonly field: FieldDef;
      readonly op: CompareOp;
      readonly values: readonly FilterValue[];
    };

/** Every field a filter reads (to pick a table that has them all). */
export function filterFields(n: FilterNode | undefined, into = new Set<string>()): Set<string> {
  if (!n) return into;
  switch (n.t) {
    case 'and':
    case 'or':
      filterFields(n.left, into);
      return filterFields(n.right, into);
    case 'not':
      return filterFields(n.expr, into);
    case 'cmp':
      into.add(n.field.name);
      return into;
  }
}
