/**
 * A dialect known only once the server answered `version()`: callers get a
 * stable object at construction (the store's runner, the store worker's
 * query proxy) whose rendering follows the dialect set later.
 */
import type { SqlDialect } from '../dialect.ts';
import { clickhouseDialect } from './dialect.ts';

/** The stable dialect and its setter. */
export interface LateDialect {
  readonly dialect: SqlDialect;
  set(d: SqlDialect): void;
}

/** Starts as a current release's dialect until `set`. */
export function createLateDialect(initial: SqlDialect = clickhouseDialect): LateDialect {
  let d = initial;
  return {
    dialect: {
      engine: initial.engine,
      ident: (n) => d.ident(n),
      columnType: (c) => d.columnType(c),
      literal: (k, v) => d.literal(k, v),
      string: (s) => d.string(s),
      epochMs: (e) => d.epochMs(e),
      bucketMs: (e, s) => d.bucketMs(e, s),
      time: (ms) => d.time(ms),
      quantile: (e, q) => d.quantile(e, q),
      float: (e) => d.float(e),
      coalesce: (e, f) => d.coalesce(e, f),
      listHas: (e, v) => d.listHas(e, v),
    },
    set: (next) => {
      d = next;
    },
  };
}
