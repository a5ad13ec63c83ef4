/** The filter-language input with completion of field names and keywords (arrow keys, Tab or Enter to accept). */
import { useState, type KeyboardEvent, type ReactElement } from 'react';
import { FILTER_NAMES, FILTER_WORDS } from '../fields.ts';
import { Icon } from './icons.tsx';

export function FilterInput(props: {
  value: string;
  onSubmit: (v: string) => void;
  error?: string | undefined;
}): ReactElement {
  const [text, setText] = useState(props.value);
  const [sel, setSel] = useState(0);
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState(props.value);
  if (props.value !== seen) {
    setSeen(props.value);
    setText(props.value);
  }
  const word = /[\w]*$/.exec(text)?.[0] ?? '';
  const suggestions =
    word.length === 0
      ? []
      : [...FILTER_NAMES, ...FILTER_WORDS]
          .filter(
            (n) => n.toLowerCase().startsWith(word.toLowerCase()) && n.toLowerCase() !== word.toLowerCase(),
          )
          .slice(0, 8);
  const show = open && suggestions.length > 0;
  const accept = (s: string): void => {
    setText(`${text.slice(0, text.length - word.length)}${s} `);
    setSel(0);
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    if (show && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      setSel((sel + (e.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
    } else if (show && (e.key === 'Tab' || (e.key === 'Enter' && word.length > 0 && suggestions[sel]))) {
      e.preventDefault();
      accept(suggestions[sel] ?? '');
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
        aria-invalid={props.error ? true : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          setSel(0);
        }}
        onKeyDown={onKey}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <button className="btn primary" type="submit">
        Apply
      </button>
      {show && (
        <ul className="suggest" id="filter-suggestions" role="listbox">
          {suggestions.map((s, i) => (
            <li
              key={s}
              role="option"
              aria-selected={i === sel}
              className={i === sel ? 'on' : ''}
              onMouseDown={() => accept(s)}
            >
              {s}
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
