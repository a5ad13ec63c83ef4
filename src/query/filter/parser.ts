/**
 * The filter language: `src 10.0.0.0/8 and dport 443 and not proto udp`.
 *
 *   expr    := and ("or" and)*
 *   and     := unary ("and" unary)*
 *   unary   := "not" unary | "(" expr ")" | compare
 *   compare := NAME [op] value | NAME ["not"] "in" "(" value ("," value)* ")"
 *   op      := "=" | "!=" | "<" | ">" | "<=" | ">="       (omitted: "=")
 *
 * Keywords are case-insensitive. Errors carry the column of the bad token.
 */
import type { FieldDef } from '../../schema/fields.ts';
import { cidrRange, macToNumber } from '../../store/columnar/addr-words.ts';
import type { CompareOp, FilterNode, FilterValue } from './ast.ts';
import { PROTOCOL_NUMBERS, resolveFilterName } from './fields.ts';
import { FilterError, tokenize, type Token } from './lexer.ts';

const INT_MAX: Partial<Record<FieldDef['kind'], number>> = {
  u8: 0xff,
  u16: 0xffff,
  u32: 0xffffffff,
  u64: Number.MAX_SAFE_INTEGER,
};

/** Parses a filter; an empty or blank filter is undefined (everything matches). */
export function parseFilter(src: string): FilterNode | undefined {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const next = (): Token => tokens[pos++]!;
  const isWord = (w: string, t = peek()): boolean => t.type === 'word' && t.text.toLowerCase() === w;
  const expect = (type: Token['type'], what: string): Token => {
    const t = next();
    if (t.type !== type) throw new FilterError(`expected ${what}, found ${describe(t)}`, t.column);
    return t;
  };

  function parseOr(): FilterNode {
    let left = parseAnd();
    while (isWord('or')) {
      next();
      left = { t: 'or', left, right: parseAnd() };
    }
    return left;
  }
  function parseAnd(): FilterNode {
    let left = parseUnary();
    while (isWord('and')) {
      next();
      left = { t: 'and', left, right: parseUnary() };
    }
    return left;
  }
  function parseUnary(): FilterNode {
    if (isWord('not')) {
      next();
      return { t: 'not', expr: parseUnary() };
    }
    if (peek().type === 'lparen') {
      next();
      const e = parseOr();
      expect('rparen', '")"');
      return e;
    }
    return parseCompare();
  }
  function parseCompare(): FilterNode {
    const nameTok = next();
    if (nameTok.type !== 'word')
      throw new FilterError(`expected a field name, found ${describe(nameTok)}`, nameTok.column);
    const fields = resolveFilterName(nameTok.text);
    if (!fields) throw new FilterError(`unknown field "${nameTok.text}"`, nameTok.column);
    let op: CompareOp = '=';
    let raw: Token[];
    if (isWord('in') || (isWord('not') && isWord('in', tokens[pos + 1]))) {
      if (isWord('not')) {
        next();
        op = '!=';
      }
      next();
      raw = parseList();
    } else {
      if (peek().type === 'op') op = next().text as CompareOp;
      const v = next();
      if (v.type !== 'word' && v.type !== 'string')
        throw new FilterError(`expected a value for "${nameTok.text}", found ${describe(v)}`, v.column);
      raw = [v];
    }
    const sides = fields.map((field): FilterNode => ({
      t: 'cmp',
      field,
      op,
      values: raw.map((v) => checkValue(field, op, v)),
    }));
    // Either side matches a positive test; a negative one must hold on both sides.
    const join = op === '!=' ? 'and' : 'or';
    return sides.reduce((left, right) => ({ t: join, left, right }));
  }
  function parseList(): Token[] {
    expect('lparen', '"(" after "in"');
    const values: Token[] = [];
    for (;;) {
      const v = next();
      if (v.type !== 'word' && v.type !== 'string')
        throw new FilterError(`expected a value, found ${describe(v)}`, v.column);
      values.push(v);
      const sep = next();
      if (sep.type === 'rparen') return values;
      if (sep.type !== 'comma')
        throw new FilterError(`expected "," or ")", found ${describe(sep)}`, sep.column);
    }
  }

  if (peek().type === 'end') return undefined;
  const tree = parseOr();
  const rest = peek();
  if (rest.type !== 'end')
    throw new FilterError(`expected "and", "or" or the end, found ${describe(rest)}`, rest.column);
  return tree;
}

function describe(t: Token): string {
  return t.type === 'end' ? 'the end of the filter' : `"${t.text}"`;
}

/** Checks a value against its field's kind (and the operator) and converts it. */
function checkValue(field: FieldDef, op: CompareOp, tok: Token): FilterValue {
  const bad = (why: string): FilterError =>
    new FilterError(`${why} for ${field.name}: "${tok.text}"`, tok.column);
  switch (field.kind) {
    case 'ip': {
      const r = cidrRange(tok.text);
      if (!r) throw bad('expected an address or CIDR');
      if (r.lo !== r.hi && op !== '=' && op !== '!=') throw bad('a CIDR only takes = or !=');
      return { t: 'range', lo: r.lo, hi: r.hi };
    }
    case 'mac': {
      const m = macToNumber(tok.text.toLowerCase());
      if (m === undefined) throw bad('expected a MAC address');
      return { t: 'int', v: m };
    }
    case 'enum': {
      const v = tok.text.toLowerCase();
      if (!field.values?.includes(v)) throw bad(`expected one of ${field.values?.join(', ')}`);
      return { t: 'text', v };
    }
    case 'u8':
    case 'u16':
    case 'u32':
    case 'u64': {
      const named = field.name === 'proto' ? PROTOCOL_NUMBERS[tok.text.toLowerCase()] : undefined;
      const n = named ?? (/^\d+$/.test(tok.text) ? Number(tok.text) : NaN);
      if (!Number.isSafeInteger(n) || n > (INT_MAX[field.kind] ?? 0))
        throw bad('expected an integer in range');
      return { t: 'int', v: n };
    }
    case 'lowcard':
    case 'string':
      return { t: 'text', v: tok.text };
    case 'float':
    case 'time':
    case 'u32list':
    case 'json':
      throw bad('this field cannot be filtered');
  }
}
