/**
 * A filter AST as a SQL condition for a dialect. Every value goes through
 * the dialect's literal rendering (escaped text, checked integers); field
 * names come from the field table. Unknown (NULL) values never match a
 * positive test and always match a negative one (`!=`, `not`), which is
 * what "not proto udp" means to a user.
 */
import type { SqlDialect } from '../../store/dialect.ts';
import type { FilterNode, FilterValue } from './ast.ts';

/** The condition, or `TRUE` for no filter. */
export function renderFilter(node: FilterNode | undefined, d: SqlDialect): string {
  if (!node) return 'TRUE';
  switch (node.t) {
    case 'and':
    case 'or':
      return `(${renderFilter(node.left, d)} ${node.t.toUpperCase()} ${renderFilter(node.right, d)})`;
    case 'not':
      return `(NOT ${d.coalesce(renderFilter(node.expr, d), 'FALSE')})`;
    case 'cmp':
      return renderCompare(node, d);
  }
}

function renderCompare(node: Extract<FilterNode, { t: 'cmp' }>, d: SqlDialect): string {
  const col = d.ident(node.field.name);
  const kind = node.field.kind;
  const lit = (v: FilterValue): string => {
    if (v.t === 'range') return d.literal(kind, v.lo);
    return d.literal(kind, v.v);
  };
  const matchOne = (v: FilterValue): string => {
    if (v.t === 'range' && v.lo !== v.hi)
      return `(${col} BETWEEN ${d.literal(kind, v.lo)} AND ${d.literal(kind, v.hi)})`;
    return `${col} = ${lit(v)}`;
  };
  const any = (): string => {
    const ranges = node.values.filter((v) => v.t === 'range' && v.lo !== v.hi);
    const points = node.values.filter((v) => !(v.t === 'range' && v.lo !== v.hi));
    const parts = ranges.map(matchOne);
    if (points.length === 1) parts.push(matchOne(points[0]!));
    else if (points.length > 1) parts.push(`${col} IN (${points.map(lit).join(', ')})`);
    return parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`;
  };
  switch (node.op) {
    case '=':
      return any();
    case '!=':
      return `(${col} IS NULL OR NOT (${any()}))`;
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const v = node.values[0]!;
      return `${col} ${node.op} ${lit(v)}`;
    }
  }
}
