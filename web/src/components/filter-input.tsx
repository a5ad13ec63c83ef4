/**
 * The filter-language input with completion: field names and keywords, and
 * after a name the values seen in the range (`app ` -> the applications,
 * `country ` -> the countries, from /api/v1/filter/values). Arrow keys move,
 * Tab or Enter accept, Escape closes.
 */
import { useEffect, useState, type KeyboardEvent, type ReactElement } from 'react';
import { apiGet } from '../api.ts';
import { FILTER_NAMES, FILTER_WORDS } from '../fields.ts';
import { countryName, fmtBytes } from '../format.ts';
import { Icon } from './icons.tsx';

interface FilterValue {
  value: string;
  label?: string;
  bytes: number;
  flows: number;
}

/** One suggestion: the text it inserts, and a hint beside it. */
interface Suggestion {
  text: string;
  hint?: string;
}

/** What is being typed at the end of the input. */
type Context =
  { kind: 'name'; word: string } | { kind: 'value'; name: string; word: string; quoted: boolean } | undefined;

const NAMES = new Set(FILTER_NAMES.map((n) => n.toLowerCase()));
/** Values the completion asks for at once (then filtered as the user types). */
const VALUES_FETCHED = 100;
const SHOWN = 8;
const DEBOUNCE_MS = 120;

/** Values already fetched, by name, range and (for long lists) prefix. */
const cache = new Map<string, FilterValue[]>();

function contextOf(text: string): Context {
  const v = /(?:^|[\s(])([A-Za-z]\w*)\s+(?:!?=\s*)?("?)([^\s"()]*)$/.exec(text);
  if (v && NAMES.has(v[1]!.toLowerCase()))
    return { kind: 'value', name: v[1]!, word: v[3] ?? '', quoted: v[2] === '"' };
  const word = /\w*$/.exec(text)?.[0] ?? '';
  return word ? { kind: 'name', word } : undefined;
}

/** The value as the filter language reads it (quoted unless it is one word). */
const literal = (v: string): string => (/^[\w.:/-]+$/.test(v) ? v : JSON.stringify(v));

async function fetchValues(name: string, range: string, prefix: string, signal: AbortSignal) {
  const base = `${name.toLowerCase()}|${range}`;
  let all = cache.get(base);
  if (!all) {
    const res = await apiGet<{ items: FilterValue[] }>(
      'filter/values',
      { name, from: `-${range}`, limit: VALUES_FETCHED },
      signal,
    );
    all = res.items;
    cache.set(base, all);
  }
  const p = prefix.toLowerCase();
  const hits = all.filter((v) => v.value.toLowerCase().startsWith(p));
  // A long list was cut: ask the server for the values with this prefix.
  if (all.length < VALUES_FETCHED || !p || hits.length >= SHOWN) return hits;
  const key = `${base}|${p}`;
  let more = cache.get(key);
  if (!more) {
    const res = await apiGet<{ items: FilterValue[] }>(
      'filter/values',
      { name, from: `-${range}`, prefix, limit: SHOWN },
      signal,
    );
    more = res.items;
    cache.set(key, more);
  }
  return more;
}

function hintOf(name: string, v: FilterValue): string {
  const n = name.toLowerCase();
  const what = v.label ?? (n.endsWith('country') ? countryName(v.value) : undefined);
  return [what, fmtBytes(v.bytes)].filter(Boolean).join(' · ');
}

export function FilterInput(props: {
  value: string;
  onSubmit: (v: string) => void;
  error?: string | undefined;
  /** Range the values come from ("1h"). */
  range?: string;
}): ReactElement {
  const range = props.range ?? '1h';
  const [text, setText] = useState(props.value);
  const [sel, setSel] = useState(0);
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState(props.value);
  const [values, setValues] = useState<{ key: string; items: FilterValue[] }>({ key: '', items: [] });
  if (props.value !== seen) {
    setSeen(props.value);
    setText(props.value);
  }
  const ctx = contextOf(text);
  const valueKey = ctx?.kind === 'value' ? `${ctx.name}|${range}|${ctx.word}` : '';

  useEffect(() => {
    if (!open || ctx?.kind !== 'value') return;
    const ctl = new AbortController();
    const { name, word } = ctx;
    const timer = setTimeout(() => {
      fetchValues(name, range, word, ctl.signal).then(
        (items) => {
          if (!ctl.signal.aborted) setValues({ key: valueKey, items });
        },
        () => undefined, // completion is a convenience: a failed lookup offers nothing
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
    // valueKey stands for ctx's name and word.
  }, [valueKey, open]);

  let suggestions: Suggestion[] = [];
  if (ctx?.kind === 'name')
    suggestions = [...FILTER_NAMES, ...FILTER_WORDS]
      .filter((n) => {
        const l = n.toLowerCase();
        const w = ctx.word.toLowerCase();
        return l.startsWith(w) && l !== w;
      })
      .slice(0, SHOWN)
      .map((n) => ({ text: n }));
  else if (ctx?.kind === 'value' && values.key === valueKey)
    suggestions = values.items
      .filter((v) => v.value.toLowerCase() !== ctx.word.toLowerCase())
      .slice(0, SHOWN)
      .map((v) => ({ text: v.value, hint: hintOf(ctx.name, v) }));
  const show = open && suggestions.length > 0;

  const accept = (s: Suggestion): void => {
    if (ctx?.kind === 'value') {
      const cut = ctx.word.length + (ctx.quoted ? 1 : 0);
      setText(`${text.slice(0, text.length - cut)}${literal(s.text)} `);
    } else if (ctx?.kind === 'name') setText(`${text.slice(0, text.length - ctx.word.length)}${s.text} `);
    setSel(0);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    const picked = suggestions[sel];
    if (show && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setSel((sel + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
    } else if (show && picked && (e.key === 'Tab' || (e.key === 'Enter' && (ctx?.word.length ?? 0) > 0))) {
      e.preventDefault();
      accept(picked);
    } else if (e.key === 'Escape') setOpen(false);
  };
  return (
    <form
      className="filter"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        setOpen(false);
        props.onSubmit(text.trim());
      }}
    >
      <Icon name="filter" />
      <input
        aria-label="Filter"
        name="filter"
        placeholder='Filter: src 10.0.0.0/8 and dport 443 and not proto udp, app "Netflix", country DE'
        value={text}
        autoComplete="off"
        spellCheck={false}
        role="combobox"
        aria-expanded={show}
        aria-controls="filter-suggestions"
        aria-autocomplete="list"
        aria-activedescendant={show ? `filter-opt-${sel}` : undefined}
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setSel(0);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKey}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <button className="btn primary" type="submit">
        Apply
      </button>
      {show && (
        <ul
          className="suggest"
          id="filter-suggestions"
          role="listbox"
          aria-label={ctx?.kind === 'value' ? `Values of ${ctx.name}` : 'Filter names'}
          data-testid="filter-suggestions"
        >
          {suggestions.map((s, i) => (
            <li
              key={s.text}
              id={`filter-opt-${i}`}
              role="option"
              aria-selected={i === sel}
              className={i === sel ? 'on' : ''}
              onMouseDown={() => accept(s)}
            >
              <span>{s.text}</span>
              {s.hint ? <span className="suggest-hint">{s.hint}</span> : null}
            </li>
          ))}
        </ul>
      )}
      {props.error && (
        <p className="error filter-error" role="alert">
          {props.error}
        </p>
      )}
    </form>
  );
}
