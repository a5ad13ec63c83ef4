/** A time-series chart (uPlot): sized to its box, themed from CSS variables, values formatted by `fmt`. */
import { useEffect, useRef, type ReactElement } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** One line: its label and CSS colour variable. */
export interface ChartSeries {
  label: string;
  color: string;
  fill?: boolean;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function withAlpha(color: string, alpha: number): string {
  if (color.startsWith('#') && color.length === 7) {
    const n = parseInt(color.slice(1), 16);
    return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${alpha})`;
  }
  return color;
}

/** `data[0]` are times in seconds, then one array per series. */
export function TimeChart(props: {
  data: uPlot.AlignedData;
  series: ChartSeries[];
  fmt: (v: number) => string;
  height?: number;
  label: string;
  /** Set: dragging across the chart selects a time range (epoch ms) and calls this. */
  onSelect?: (fromMs: number, toMs: number) => void;
}): ReactElement {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const fmtRef = useRef(props.fmt);
  fmtRef.current = props.fmt;
  const selectRef = useRef(props.onSelect);
  selectRef.current = props.onSelect;
  const selectable = props.onSelect !== undefined;
  const height = props.height ?? 220;
  const seriesKey = props.series.map((s) => s.label + s.color).join('|');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const build = (): void => {
      plot.current?.destroy();
      const grid = cssVar('--grid');
      const text = cssVar('--muted');
      const axis = {
        stroke: text,
        grid: { stroke: grid, width: 1 },
        ticks: { stroke: grid, width: 1 },
        font: '11px system-ui, sans-serif',
      };
      plot.current = new uPlot(
        {
          width: Math.max(200, el.clientWidth),
          height,
          legend: { show: false },
          cursor: { points: { size: 6 }, drag: { x: selectable, y: false, setScale: false } },
          hooks: {
            setSelect: [
              (u: uPlot) => {
                const { left, width } = u.select;
                if (width <= 0) return;
                const from = u.posToVal(left, 'x') * 1000;
                const to = u.posToVal(left + width, 'x') * 1000;
                // The selection is only a gesture: the page redraws the chart for the new range.
                u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
                selectRef.current?.(from, to);
              },
            ],
          },
          scales: { y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
          axes: [
            { ...axis },
            { ...axis, size: 78, values: (_u, splits) => splits.map((v) => fmtRef.current(v)) },
          ],
          series: [
            {},
            ...props.series.map((s) => {
              const c = cssVar(s.color);
              return {
                label: s.label,
                stroke: c,
                width: 1.8,
                fill: s.fill === false ? undefined : withAlpha(c, 0.12),
                points: { show: false },
                value: (_u: uPlot, v: number | null) => (v === null ? '–' : fmtRef.current(v)),
              };
            }),
          ],
        },
        props.data,
        el,
      );
    };
    build();
    const ro = new ResizeObserver(() =>
      plot.current?.setSize({ width: Math.max(200, el.clientWidth), height }),
    );
    ro.observe(el);
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const rebuild = (): void => build();
    mq.addEventListener('change', rebuild);
    window.addEventListener('flowlens-theme', rebuild);
    return () => {
      ro.disconnect();
      mq.removeEventListener('change', rebuild);
      window.removeEventListener('flowlens-theme', rebuild);
      plot.current?.destroy();
      plot.current = undefined;
    };
    // The chart is rebuilt only when its series change; data updates go through setData below.
  }, [seriesKey, height, selectable]);

  useEffect(() => {
    plot.current?.setData(props.data);
  }, [props.data]);

  return (
    <div
      className={selectable ? 'chart chart-selectable' : 'chart'}
      role="img"
      aria-label={selectable ? `${props.label}; drag across it to zoom into a time range` : props.label}
      title={selectable ? 'Drag across the chart to zoom into that time range' : undefined}
    >
      <div className="chart-legend" aria-hidden="true">
        {props.series.map((s) => (
          <span key={s.label}>
            <i style={{ background: `var(${s.color})` }} />
            {s.label}
          </span>
        ))}
      </div>
      <div ref={box} style={{ height }} />
    </div>
  );
}
