/**
 * Query SQL adapted to older servers, with a small lexer (string literals
 * and quoted identifiers are never touched, so user values, which reach SQL
 * only as escaped literals, cannot be rewritten): `TRUE` / `FALSE` become
 * 1 / 0 before 21.12, and a leading `WITH name AS (SELECT ...)` becomes a
 * subquery in the FROM that names it before 20.10.
 */
import type { ClickhouseCapabilities } from './capabilities.ts';

interface Token {
  /** 'w' word, 'q' quoted (string or identifier), 'p' punctuation or other. */
  readonly t: 'w' | 'q' | 'p';
  readonly from: number;
  readonly to: number;
}

/** Splits SQL into words, quoted runs and single characters (whitespace dropped). */
export function lexSql(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '`' || c === '"') {
      let j = i + 1;
      while (j < sql.length && sql[j] !== c) j += sql[j] === '\\' ? 2 : 1;
      out.push({ t: 'q', from: i, to: Math.min(j + 1, sql.length) });
      i = j + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < sql.length && /[A-Za-z0-9_]/.test(sql[j]!)) j++;
      out.push({ t: 'w', from: i, to: j });
      i = j;
    } else {
      out.push({ t: 'p', from: i, to: i + 1 });
      i++;
    }
  }
  return out;
}

const text = (sql: string, t: Token | undefined): string => (t ? sql.slice(t.from, t.to) : '');
const isWord = (sql: string, t: Token | undefined, w: string): boolean =>
  t?.t === 'w' && text(sql, t).toUpperCase() === w;
/** An identifier's name without its quotes. */
const nameOf = (sql: string, t: Token): string => (t.t === 'q' ? text(sql, t).slice(1, -1) : text(sql, t));

/** Replaces bare TRUE / FALSE words (not after a dot: not a column of that name). */
export function replaceBooleans(sql: string): string {
  let out = '';
  let at = 0;
  const toks = lexSql(sql);
  toks.forEach((t, i) => {
    const w = t.t === 'w' ? text(sql, t).toUpperCase() : '';
    if ((w !== 'TRUE' && w !== 'FALSE') || text(sql, toks[i - 1]) === '.') return;
    out += `${sql.slice(at, t.from)}${w === 'TRUE' ? '1' : '0'}`;
    at = t.to;
  });
  return out + sql.slice(at);
}

/** `WITH b AS (q) SELECT ... FROM b ...` -> `SELECT ... FROM (q) AS b ...`; other SQL unchanged. */
export function inlineCte(sql: string): string {
  const toks = lexSql(sql);
  const [w, name, as, open] = toks;
  if (!isWord(sql, w, 'WITH') || !name || name.t === 'p' || !isWord(sql, as, 'AS') || text(sql, open) !== '(')
    return sql;
  let depth = 0;
  let close = -1;
  for (let i = 3; i < toks.length && close < 0; i++) {
    const s = text(sql, toks[i]);
    if (s === '(') depth++;
    else if (s === ')' && --depth === 0) close = i;
  }
  if (close < 0 || !isWord(sql, toks[close + 1], 'SELECT')) return sql;
  const body = sql.slice(open!.to, toks[close]!.from);
  const cte = nameOf(sql, name);
  let out = '';
  let at = toks[close + 1]!.from;
  for (let i = close + 2; i < toks.length; i++) {
    const t = toks[i]!;
    if (!isWord(sql, toks[i - 1], 'FROM') || t.t === 'p' || nameOf(sql, t) !== cte) continue;
    out += `${sql.slice(at, t.from)}(${body}) AS ${text(sql, name)}`;
    at = t.to;
  }
  return out + sql.slice(at);
}

/** The SQL a server with `caps` accepts. */
export function adaptSql(sql: string, caps: ClickhouseCapabilities): string {
  let s = sql;
  if (!caps.cteSubquery) s = inlineCte(s);
  if (!caps.boolLiterals) s = replaceBooleans(s);
  return s;
}
