/** Small building blocks: cards, stat tiles, ranked bar lists, empty and error states. */
import type { ReactElement, ReactNode } from 'react';
import { Link } from './link.tsx';

export function Card(props: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  id?: string;
}): ReactElement {
  return (
    <section className={`card ${props.className ?? ''}`} aria-labelledby={props.id}>
      {props.title !== undefined && (
        <header className="card-head">
          <h2 id={props.id}>{props.title}</h2>
          {props.actions && <div className="card-actions">{props.actions}</div>}
        </header>
      )}
      {props.children}
    </section>
  );
}

export function Stat(props: {
  label: string;
  value: ReactNode;
  sub?: ReactNode;
  testId?: string;
}): ReactElement {
  return (
    <div className="stat">
      <div className="stat-label">{props.label}</div>
      <div className="stat-value num" data-testid={props.testId}>
        {props.value}
      </div>
      {props.sub !== undefined && <div className="stat-sub">{props.sub}</div>}
    </div>
  );
}

/** One row of a ranked list. */
export interface BarItem {
  key: string;
  label: ReactNode;
  value: number;
  display: string;
  href?: string;
  title?: string;
}

/** A ranked list with proportional bars; each row can link (drill down). */
export function BarList(props: {
  items: BarItem[] | undefined;
  empty?: string;
  label: string;
}): ReactElement {
  const items = props.items;
  if (!items) return <Skeleton rows={5} />;
  if (items.length === 0) return <p className="empty">{props.empty ?? 'Nothing yet.'}</p>;
  const max = Math.max(...items.map((i) => i.value), 1);
  return (
    <ol className="barlist" aria-label={props.label}>
      {items.map((i) => {
        const body = (
          <>
            <span className="bar" style={{ width: `${(i.value / max) * 100}%` }} aria-hidden="true" />
            <span className="barlist-label">{i.label}</span>
            <span className="barlist-value num">{i.display}</span>
          </>
        );
        return (
          <li key={i.key} title={i.title}>
            {i.href ? (
              <Link to={i.href} className="barlist-row">
                {body}
              </Link>
            ) : (
              <div className="barlist-row">{body}</div>
            )}
          </li>
        );
      })}
    </ol>
  );
}

export function Skeleton({ rows = 3 }: { rows?: number }): ReactElement {
  return (
    <div className="skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} />
      ))}
    </div>
  );
}

export function ErrorNote({ error }: { error: Error | undefined }): ReactElement | null {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error.message}
    </p>
  );
}

export function PageHead(props: { title: string; sub?: ReactNode; children?: ReactNode }): ReactElement {
  return (
    <div className="page-head">
      <div>
        <h1>{props.title}</h1>
        {props.sub && <p className="muted">{props.sub}</p>}
      </div>
      {props.children && <div className="page-tools">{props.children}</div>}
    </div>
  );
}

/** A segmented control (radio group semantics). */
export function Segmented<T extends string>(props: {
  value: T;
  options: { value: T; label: string }[];
  onChange: (v: T) => void;
  label: string;
}): ReactElement {
  return (
    <div className="segmented" role="radiogroup" aria-label={props.label}>
      {props.options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={o.value === props.value}
          className={o.value === props.value ? 'on' : ''}
          onClick={() => props.onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
