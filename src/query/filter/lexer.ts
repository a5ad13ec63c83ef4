/** Tokens of the filter language, each with the (1-based) column it starts at. */

export type TokenType = 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'end';

export interface Token {
  type: TokenType;
  text: string;
  column: number;
}

/** A filter that does not parse or names something unknown; `column` points at the bad token. */
export class FilterError extends Error {
  readonly code = 'FLOWLENS_ERR_FILTER';
  readonly column: number;
  constructor(message: string, column: number) {
    super(`column ${column}: ${message}`);
    this.column = column;
  }
}

const OPS = ['<=', '>=', '!=', '=', '<', '>'];
/** Words: field names, keywords, numbers, addresses, CIDRs, MACs, names. */
const WORD = /[\w.:/-]/;

/** Splits a filter into tokens; the last is always `end`. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    const column = i + 1;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      out.push({ type: c === '(' ? 'lparen' : c === ')' ? 'rparen' : 'comma', text: c, column });
      i++;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ type: 'op', text: op, column });
      i += op.length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let text = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        text += src[j];
        j++;
      }
      if (j >= src.length) throw new FilterError('unterminated string', column);
      out.push({ type: 'string', text, column });
      i = j + 1;
      continue;
    }
    if (!WORD.test(c)) throw new FilterError(`unexpected character "${c}"`, column);
    let j = i;
    while (j < src.length && WORD.test(src[j]!)) j++;
    out.push({ type: 'word', text: src.slice(i, j), column });
    i = j;
  }
  out.push({ type: 'end', text: '', column: src.length + 1 });
  return out;
}
