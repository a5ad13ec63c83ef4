/** Flow explorer on history: filter with completion, column chooser, sorting, paging, drill-down from any value. */
import { useEffect, useState, type ReactElement } from 'react';
import type { FlowRow, Page } from '../api.ts';
import { filterable, renderValue } from '../components/cell.tsx';
import { FilterInput } from '../components/filter-input.tsx';
import { Icon } from '../components/icons.tsx';
import { Card, PageHead, Segmented, Skeleton } from '../components/ui.tsx';
import { clause, FLOW_FIELDS } from '../fields.ts';
import { fmtCount } from '../format.ts';
import { prefetch, useApi } from '../hooks.ts';
import { setQuery, useLocation } from '../router.ts';
import { customQuery, rangeQuery, timeWindow, windowLabel } from '../time-window.ts';
import { RangeForm } from '../components/range-form.tsx';

const PAGE_SIZES = [50, 100, 250];
const COLS_KEY = 'flowlens-explorer-columns';
const RANGES = [
  { value: '15m', label: '15 min' },
  { value: '1h', label: '1 h' },
  { value: '6h', label: '6 h' },
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
];

function loadCols(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(COLS_KEY) ?? 'null') as unknown;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch {
    /* a damaged setting falls back to the defaults */
  }
  return FLOW_FIELDS.filter((f) => f.default).map((f) => f.name);
}

export function Explorer(): ReactElement {
  const { query } = useLocation();
  const filter = query.get('filter') ?? '';
  // A preset, or the fixed range a chart zoom or a custom report handed over.
  const win = timeWindow(query);
  const range = win.range;
  const sort = query.get('sort') ?? 'time';
  const order = query.get('order') ?? 'desc';
  const offset = Number(query.get('offset') ?? 0);
  const size = Number(query.get('size') ?? 50);
  const PAGE = PAGE_SIZES.includes(size) ? size : 50;
  const [cols, setCols] = useState<string[]>(loadCols);
  const flowParams = (at: number) => ({
    from: win.from,
    to: win.to,
    filter,
    sort,
    order,
    limit: PAGE,
    offset: at,
  });
  const flows = useApi<Page<FlowRow>>('flows', flowParams(offset));
  const total = flows.data?.total ?? 0;
  // The next page is fetched while this one is read, so "Older" shows at once.
  useEffect(() => {
    if (flows.data && !flows.loading && offset + PAGE < total) prefetch('flows', flowParams(offset + PAGE));
  });
  const fields = FLOW_FIELDS.filter((f) => cols.includes(f.name));
  const toggleCol = (name: string): void => {
    const next = cols.includes(name)
      ? cols.filter((c) => c !== name)
      : FLOW_FIELDS.map((f) => f.name).filter((n) => n === name || cols.includes(n));
    setCols(next);
    localStorage.setItem(COLS_KEY, JSON.stringify(next));
  };
  const drill = (name: string, v: string | number): void => {
    const c = clause(name, v);
    setQuery({ filter: filter ? `${filter} and ${c}` : c, offset: undefined }, false);
  };
  const pages = Math.max(1, Math.ceil(total / PAGE));
  const page = Math.floor(offset / PAGE) + 1;
  const err = flows.error?.message;

  return (
    <>
      <PageHead
        title="Flow explorer"
        sub={`Every stored flow. Click a value to filter on it.${range === 'custom' ? ` ${windowLabel(win)}.` : ''}`}
      >
        <Segmented
          label="Time range"
          value={range}
          options={[...RANGES, { value: 'custom', label: 'Custom' }]}
          onChange={(v) => setQuery({ ...rangeQuery(v, win), offset: undefined }, v !== 'custom')}
        />
      </PageHead>
      {range === 'custom' && (
        <RangeForm
          label="Time range"
          testId="explorer-range"
          from={win.fromMs!}
          to={win.toMs!}
          onApply={(f, t) => setQuery({ ...customQuery(f, t), offset: undefined }, false)}
        />
      )}
      <FilterInput
        range={range === 'custom' ? '24h' : range}
        value={filter}
        onSubmit={(v) => setQuery({ filter: v, offset: undefined }, false)}
        error={err}
      />
      <Card
        title={
          <span data-testid="flow-total">
            {flows.data ? `${fmtCount(total)} flows` : 'Flows'}
            {flows.loading && flows.data ? <span className="muted small"> · updating</span> : null}
          </span>
        }
        actions={
          <details className="colchooser">
            <summary className="btn">
              <Icon name="columns" /> Columns
            </summary>
            <div className="colchooser-pop">
              {FLOW_FIELDS.map((f) => (
                <label key={f.name}>
                  <input type="checkbox" checked={cols.includes(f.name)} onChange={() => toggleCol(f.name)} />{' '}
                  {f.label}
                </label>
              ))}
            </div>
          </details>
        }
      >
        {!flows.data ? (
          <Skeleton rows={10} />
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="flow-table">
              <thead>
                <tr>
                  {fields.map((f) => {
                    const key = f.name === 'end' ? 'time' : f.name;
                    const sorted = sort === key;
                    return (
                      <th
                        key={f.name}
                        scope="col"
                        className={f.kind === 'bytes' || f.kind === 'count' ? 'r' : ''}
                        aria-sort={sorted ? (order === 'asc' ? 'ascending' : 'descending') : undefined}
                      >
                        <button
                          type="button"
                          className="th-btn"
                          onClick={() =>
                            setQuery({
                              sort: key,
                              order: sorted && order === 'desc' ? 'asc' : 'desc',
                              offset: undefined,
                            })
                          }
                        >
                          {f.label}
                          {sorted ? (order === 'asc' ? ' ▲' : ' ▼') : ''}
                        </button>
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {flows.data.items.map((row, i) => (
                  // Identical records in one millisecond share an id (src/api/flow-id.ts): the
                  // position makes the key unique, or React would keep stale rows on re-render.
                  <tr key={`${offset + i}:${row.id}`}>
                    {fields.map((f) => {
                      const v = row[f.name];
                      return (
                        <td key={f.name} className={f.kind === 'bytes' || f.kind === 'count' ? 'r num' : ''}>
                          {v !== undefined && filterable(f) ? (
                            <button
                              type="button"
                              className="cell-btn"
                              title={`Filter on ${clause(f.name, v)}`}
                              onClick={() => drill(f.name, v)}
                            >
                              {renderValue(f, v)}
                            </button>
                          ) : (
                            renderValue(f, v)
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
            {flows.data.items.length === 0 && <p className="empty">No flow matches.</p>}
          </div>
        )}
        <nav className="pager" aria-label="Pages">
          <button
            type="button"
            className="btn"
            disabled={offset === 0}
            aria-label="Newest page"
            onClick={() => setQuery({ offset: undefined })}
          >
            <Icon name="chevronLeft" />
            <Icon name="chevronLeft" />
          </button>
          <button
            type="button"
            className="btn"
            disabled={offset === 0}
            onClick={() => setQuery({ offset: offset - PAGE > 0 ? String(offset - PAGE) : undefined })}
          >
            <Icon name="chevronLeft" /> Newer
          </button>
          <span className="muted num" data-testid="flow-range">
            {total > 0
              ? `${fmtCount(offset + 1)}–${fmtCount(Math.min(offset + PAGE, total))} of ${fmtCount(total)}`
              : ''}
          </span>
          {pages > 1 && (
            <label className="pager-jump">
              Page{' '}
              <input
                type="number"
                min={1}
                max={pages}
                key={page}
                defaultValue={page}
                aria-label={`Page, 1 to ${pages}`}
                onKeyDown={(e) => {
                  if (e.key !== 'Enter') return;
                  const n = Math.min(pages, Math.max(1, Math.round(Number(e.currentTarget.value) || 1)));
                  setQuery({ offset: n > 1 ? String((n - 1) * PAGE) : undefined });
                }}
              />{' '}
              of {fmtCount(pages)}
            </label>
          )}
          <button
            type="button"
            className="btn"
            disabled={offset + PAGE >= total}
            onClick={() => setQuery({ offset: String(offset + PAGE) })}
          >
            Older <Icon name="chevronRight" />
          </button>
          <button
            type="button"
            className="btn"
            disabled={offset + PAGE >= total}
            aria-label="Oldest page"
            onClick={() => setQuery({ offset: String((pages - 1) * PAGE) })}
          >
            <Icon name="chevronRight" />
            <Icon name="chevronRight" />
          </button>
          <Segmented
            label="Rows per page"
            value={String(PAGE)}
            options={PAGE_SIZES.map((n) => ({ value: String(n), label: String(n) }))}
            onChange={(v) => setQuery({ size: v === '50' ? undefined : v, offset: undefined })}
          />
        </nav>
      </Card>
    </>
  );
}
