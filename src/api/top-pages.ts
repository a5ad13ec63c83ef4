/** Pages of grouped answers (top-N of a dimension) with a total, for the list routes. */
import type { QueryEngine, TimeRange, TopRow } from '../query/index.ts';
import { MAX_GROUPS, type PageParams } from './params.ts';

/** What a top-N page asks. */
export interface TopPageQuery {
  range: TimeRange;
  filter: string | undefined;
  dimension: string;
  metric: 'bytes' | 'packets' | 'flows';
}

/** A page of groups: `total` counts up to MAX_GROUPS groups; `truncated` when there are more. */
export interface GroupPage<T> {
  total: number;
  truncated: boolean;
  limit: number;
  offset: number;
  items: T[];
}

/** Every group (up to MAX_GROUPS + 1, to know whether there are more). */
export async function allGroups(
  engine: QueryEngine,
  q: TopPageQuery,
): Promise<{ rows: TopRow[]; truncated: boolean }> {
  const rows = await engine.top({ ...q, limit: MAX_GROUPS + 1 });
  return { rows: rows.slice(0, MAX_GROUPS), truncated: rows.length > MAX_GROUPS };
}

/** A page of a list computed in full. */
export function groupPage<T>(all: readonly T[], truncated: boolean, p: PageParams): GroupPage<T> {
  return {
    total: all.length,
    truncated,
    limit: p.limit,
    offset: p.offset,
    items: all.slice(p.offset, p.offset + p.limit),
  };
}

/** One page of the top-N of a dimension. */
export async function topPage(
  engine: QueryEngine,
  q: TopPageQuery,
  p: PageParams,
): Promise<GroupPage<TopRow>> {
  const { rows, truncated } = await allGroups(engine, q);
  return groupPage(rows, truncated, p);
}
