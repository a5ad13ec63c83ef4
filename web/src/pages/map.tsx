/**
 * Traffic by country and the busiest hosts at their GeoIP coordinates, on a
 * world map drawn offline (world-atlas + d3-geo); click a country or a host
 * to explore its flows.
 */
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import atlasUrl from 'world-atlas/countries-110m.json?url';
import type { Page } from '../api.ts';
import { BarList, Card, PageHead, Segmented } from '../components/ui.tsx';
import { countryName, flag, fmtBytes } from '../format.ts';
import { useApi } from '../hooks.ts';
import { navigate, setQuery, useLocation } from '../router.ts';
import { NUMERIC_TO_ALPHA2 } from './iso-numeric.ts';

type Rep = Page<{ keys: Record<string, string | null>; sum: number }>;
interface LocatedHost {
  addr: string;
  bytes: number;
  flows: number;
  latitude: number;
  longitude: number;
  country?: string;
  city?: string;
}
const MAX_MARKERS = 150;
const explore = (filter: string, range: string): string =>
  `/explorer?filter=${encodeURIComponent(filter)}&range=${range}`;
const W = 960;
const H = 500;

export default function WorldMap(): ReactElement {
  const { query } = useLocation();
  const range = query.get('range') ?? '1h';
  const [atlas, setAtlas] = useState<Topology>();
  useEffect(() => {
    void fetch(atlasUrl)
      .then((r) => r.json() as Promise<Topology>)
      .then(setAtlas);
  }, []);
  const p = (d: string) => ({ from: `-${range}`, dimensions: [d], metric: 'bytes', limit: 300 });
  const src = useApi<Rep>('reports', p('srcCountry'));
  const dst = useApi<Rep>('reports', p('dstCountry'));
  const located = useApi<{ items: LocatedHost[] }>('geo/hosts', { from: `-${range}`, limit: MAX_MARKERS });
  const byCountry = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of [...(src.data?.items ?? []), ...(dst.data?.items ?? [])]) {
      const k = Object.values(r.keys)[0];
      if (k) m.set(k, (m.get(k) ?? 0) + r.sum);
    }
    return m;
  }, [src.data, dst.data]);
  const max = Math.max(1, ...byCountry.values());
  const { shapes, project } = useMemo(() => {
    if (!atlas) return { shapes: [], project: undefined };
    const countries = feature(atlas, atlas.objects.countries as GeometryCollection);
    const projection = geoNaturalEarth1().fitSize([W, H], countries);
    const path = geoPath(projection);
    return {
      shapes: countries.features.map((f) => ({
        id: String(f.id ?? ''),
        name: String((f.properties as { name?: string } | null)?.name ?? ''),
        d: path(f) ?? '',
      })),
      project: (lon: number, lat: number) => projection([lon, lat]),
    };
  }, [atlas]);
  const hosts = located.data?.items ?? [];
  const maxHost = Math.max(1, ...hosts.map((h) => h.bytes));
  // Smallest last, so big circles do not hide small ones.
  const markers = project
    ? hosts
        .map((h) => ({ h, at: project(h.longitude, h.latitude), r: 2.5 + 9 * Math.sqrt(h.bytes / maxHost) }))
        .filter((m): m is typeof m & { at: [number, number] } => m.at !== null)
        .sort((a, b) => b.r - a.r)
    : [];
  const open = (code: string): void => navigate(explore(`country ${code}`, range));
  const openHost = (addr: string): void => navigate(explore(`host ${addr}`, range));
  const where = (h: LocatedHost): string =>
    [h.city, h.country ? countryName(h.country) : undefined].filter(Boolean).join(', ') || 'Unknown place';
  const top = [...byCountry].sort((a, b) => b[1] - a[1]).slice(0, 12);

  return (
    <>
      <PageHead
        title="Map"
        sub="Where your traffic goes and comes from. Click a country or a host to see its flows."
      >
        <Segmented
          label="Time range"
          value={range}
          options={['1h', '6h', '24h', '7d'].map((r) => ({ value: r, label: r }))}
          onChange={(v) => setQuery({ range: v })}
        />
      </PageHead>
      <div className="grid-map">
        <Card className="map-card">
          <svg
            viewBox={`0 0 ${W} ${H}`}
            className="worldmap"
            role="group"
            aria-label="World map of traffic by country"
            data-testid="worldmap"
          >
            {shapes.map((s) => {
              const code = NUMERIC_TO_ALPHA2[s.id];
              const v = code ? byCountry.get(code) : undefined;
              const t = v ? 0.15 + 0.85 * Math.sqrt(v / max) : 0;
              const label = `${s.name}: ${v ? fmtBytes(v) : 'no traffic'}`;
              return (
                <path
                  key={s.id + s.name}
                  d={s.d}
                  className={v ? 'country has' : 'country'}
                  style={v ? { fillOpacity: t } : undefined}
                  tabIndex={v && code ? 0 : undefined}
                  role={v && code ? 'link' : undefined}
                  aria-label={v && code ? label : undefined}
                  data-country={code}
                  onClick={v && code ? () => open(code) : undefined}
                  onKeyDown={v && code ? (e) => e.key === 'Enter' && open(code) : undefined}
                >
                  <title>{label}</title>
                </path>
              );
            })}
            <g className="hosts" data-testid="host-markers">
              {markers.map(({ h, at, r }) => {
                const label = `${h.addr} (${where(h)}): ${fmtBytes(h.bytes)}`;
                return (
                  <circle
                    key={h.addr}
                    cx={at[0].toFixed(1)}
                    cy={at[1].toFixed(1)}
                    r={r.toFixed(1)}
                    className="host-marker"
                    data-addr={h.addr}
                    tabIndex={0}
                    role="link"
                    aria-label={label}
                    onClick={() => openHost(h.addr)}
                    onKeyDown={(e) => e.key === 'Enter' && openHost(h.addr)}
                  >
                    <title>{label}</title>
                  </circle>
                );
              })}
            </g>
          </svg>
          <p className="map-legend muted small">
            <span className="legend-item">
              <span className="swatch-country" /> Traffic by country
            </span>
            <span className="legend-item">
              <span className="swatch-host" /> Busiest hosts located (GeoIP; {markers.length} shown)
            </span>
          </p>
        </Card>
        <div className="map-side">
          <Card title="Countries" id="map-top">
            <BarList
              label="Countries by traffic"
              items={top.map(([k, v]) => ({
                key: k,
                label: (
                  <>
                    {flag(k)} {countryName(k)}
                  </>
                ),
                value: v,
                display: fmtBytes(v),
                href: explore(`country ${k}`, range),
              }))}
            />
          </Card>
          <Card title="Hosts located" id="map-hosts">
            <BarList
              label="Located hosts by traffic"
              items={hosts.slice(0, 10).map((h) => ({
                key: h.addr,
                label: (
                  <>
                    {h.country ? flag(h.country) : ''} <span className="mono">{h.addr}</span>{' '}
                    <span className="muted">{h.city ?? ''}</span>
                  </>
                ),
                value: h.bytes,
                display: fmtBytes(h.bytes),
                href: explore(`host ${h.addr}`, range),
              }))}
            />
          </Card>
        </div>
      </div>
    </>
  );
}
