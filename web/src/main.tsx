/** The app: session check, login, routes. */
import { lazy, StrictMode, Suspense, useEffect, useState, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { apiGet, apiPost, onUnauthorized, type ExporterRow, type Page, type Session } from './api.ts';
import { Shell } from './components/shell.tsx';
import { Skeleton } from './components/ui.tsx';
import { closeLive } from './live.ts';
import { ActiveFlows } from './pages/active-flows.tsx';
import { Dashboard } from './pages/dashboard.tsx';
import { DevicePage } from './pages/devices-detail.tsx';
import { Devices } from './pages/devices.tsx';
import { Explorer } from './pages/explorer.tsx';
import { Exporters } from './pages/exporters.tsx';
import { HostPage, Hosts } from './pages/hosts.tsx';
import { Login } from './pages/login.tsx';
import { Reports } from './pages/reports.tsx';
import { Setup } from './pages/setup.tsx';
import { navigate, useLocation } from './router.ts';
import { applyTheme, getTheme } from './theme.ts';
import './styles.css';

const WorldMap = lazy(() => import('./pages/map.tsx'));

const TITLES: Record<string, string> = {
  '/': 'Dashboard',
  '/flows': 'Active flows',
  '/hosts': 'Hosts',
  '/devices': 'Devices',
  '/explorer': 'Flow explorer',
  '/reports': 'Reports',
  '/map': 'Map',
  '/exporters': 'Exporters',
  '/setup': 'Add exporters',
  '/login': 'Sign in',
};

function Page({ path }: { path: string }): ReactElement {
  const exporters = useExportersKnown();
  if (path === '/' && exporters === false) return <Setup firstRun />;
  if (path === '/') return <Dashboard />;
  if (path === '/flows') return <ActiveFlows />;
  if (path === '/hosts') return <Hosts />;
  if (path.startsWith('/hosts/')) return <HostPage addr={decodeURIComponent(path.slice(7))} />;
  if (path === '/devices') return <Devices />;
  if (path.startsWith('/devices/')) return <DevicePage id={decodeURIComponent(path.slice(9))} />;
  if (path === '/explorer') return <Explorer />;
  if (path === '/reports') return <Reports />;
  if (path === '/map')
    return (
      <Suspense fallback={<Skeleton rows={8} />}>
        <WorldMap />
      </Suspense>
    );
  if (path === '/exporters') return <Exporters />;
  if (path === '/setup') return <Setup />;
  return (
    <div className="empty">
      There is no page here. <a href="/">Back to the dashboard</a>
    </div>
  );
}

/** false while no exporter has ever sent (first run), true once one has. */
function useExportersKnown(): boolean | undefined {
  const [known, setKnown] = useState<boolean>();
  useEffect(() => {
    if (known) return;
    let t: ReturnType<typeof setTimeout>;
    const check = (): void => {
      apiGet<Page<ExporterRow>>('exporters', { limit: 1 }).then(
        (p) => {
          setKnown(p.total > 0);
          if (p.total === 0) t = setTimeout(check, 3000);
        },
        () => setKnown(true),
      );
    };
    check();
    return () => clearTimeout(t);
  }, [known]);
  return known;
}

function App(): ReactElement {
  const { path } = useLocation();
  const [session, setSession] = useState<Session | null>();
  useEffect(() => {
    apiGet<Session>('auth/session').then(setSession, () => setSession(null));
    return onUnauthorized(() => setSession(null));
  }, []);
  useEffect(() => {
    const base = path.startsWith('/hosts/')
      ? decodeURIComponent(path.slice(7))
      : (TITLES[path] ?? 'FlowLens');
    document.title = session ? `${base} · FlowLens` : 'Sign in · FlowLens';
  }, [path, session]);
  useEffect(() => {
    // Move focus to the new page so keyboard and screen-reader users start at its top.
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [path]);
  if (session === undefined) return <div className="boot" aria-busy="true" />;
  if (session === null || session.mustChangePassword)
    return (
      <Login
        mustChange={session ?? undefined}
        onLogin={(s) => {
          setSession(s);
          if (path === '/login') navigate('/', true);
        }}
      />
    );
  const logout = (): void => {
    closeLive();
    void apiPost('auth/logout', {}).finally(() => setSession(null));
  };
  return (
    <Shell path={path} session={session} onLogout={logout}>
      <Page path={path} />
    </Shell>
  );
}

applyTheme(getTheme());
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
