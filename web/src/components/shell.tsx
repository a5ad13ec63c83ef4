/** The frame around every page: left navigation (a bottom bar on phones), the top bar with live status, theme and user menu. */
import { useEffect, useRef, useState, type ReactElement, type ReactNode } from 'react';
import type { Session, Throughput } from '../api.ts';
import { fmtBps } from '../format.ts';
import { useLive, useLiveStatus } from '../live.ts';
import { applyTheme, getTheme, type ThemeChoice } from '../theme.ts';
import { Icon } from './icons.tsx';
import { Link } from './link.tsx';

/** The main sections; `phone` ones are in the bottom bar. */
export const NAV = [
  { to: '/', label: 'Dashboard', icon: 'dashboard', phone: true },
  { to: '/flows', label: 'Active flows', icon: 'flows', phone: true },
  { to: '/hosts', label: 'Hosts', icon: 'hosts', phone: true },
  { to: '/devices', label: 'Devices', icon: 'devices', phone: false },
  { to: '/explorer', label: 'Explorer', icon: 'explorer', phone: true },
  { to: '/reports', label: 'Reports', icon: 'reports', phone: false },
  { to: '/map', label: 'Map', icon: 'map', phone: true },
  { to: '/exporters', label: 'Exporters', icon: 'exporters', phone: false },
  { to: '/setup', label: 'Add exporters', icon: 'setup', phone: false },
] as const;

function isActive(path: string, to: string): boolean {
  return to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
}

function ThemeToggle(): ReactElement {
  const [theme, setTheme] = useState<ThemeChoice>(getTheme());
  const next: Record<ThemeChoice, ThemeChoice> = { system: 'dark', dark: 'light', light: 'system' };
  const icon = theme === 'system' ? 'auto' : theme === 'dark' ? 'moon' : 'sun';
  const label = `Theme: ${theme === 'system' ? 'follows the system' : theme}. Switch to ${next[theme]}.`;
  return (
    <button
      type="button"
      className="icon-btn"
      aria-label={label}
      title={label}
      onClick={() => {
        applyTheme(next[theme]);
        setTheme(next[theme]);
      }}
    >
      <Icon name={icon} />
    </button>
  );
}

function UserMenu({ session, onLogout }: { session: Session; onLogout: () => void }): ReactElement {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (e: Event): void => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node))
        setOpen(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);
  return (
    <div className="menu" ref={ref}>
      <button
        type="button"
        className="user-btn"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <span className="avatar" aria-hidden="true">
          {session.principal.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="user-name">{session.principal.name}</span>
      </button>
      {open && (
        <div className="menu-pop" role="menu">
          <div className="menu-info">
            Signed in as <strong>{session.principal.name}</strong>
            <br />
            <span className="muted">role: {session.principal.role}</span>
          </div>
          <a role="menuitem" href="/api/docs" target="_blank" rel="noreferrer">
            API documentation
          </a>
          <button role="menuitem" type="button" onClick={onLogout}>
            <Icon name="logout" /> Sign out
          </button>
        </div>
      )}
    </div>
  );
}

/** Connection state and the current total rate, on every page (it subscribes to the throughput topic). */
function LiveDot(): ReactElement {
  const s = useLiveStatus();
  const tp = useLive<Throughput>('throughput');
  const text = s === 'open' ? 'Live' : s === 'connecting' ? 'Connecting' : 'Offline';
  return (
    <span className={`live-dot ${s}`} role="status" title="Total throughput, last 10 s">
      <i aria-hidden="true" />
      {text}
      {s === 'open' && tp ? <span className="num live-rate"> · {fmtBps(tp.bps)}</span> : null}
    </span>
  );
}

export function Shell(props: {
  path: string;
  session: Session;
  onLogout: () => void;
  children: ReactNode;
}): ReactElement {
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <nav className="sidenav" aria-label="Main">
        <Link to="/" className="brand">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          <span>FlowLens</span>
        </Link>
        <ul>
          {NAV.map((n) => (
            <li key={n.to} className={n.phone ? '' : 'desktop-only'}>
              <Link
                to={n.to}
                className="nav-link"
                aria-current={isActive(props.path, n.to) ? 'page' : undefined}
              >
                <Icon name={n.icon} size={20} />
                <span>{n.label}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="main-col">
        <header className="topbar">
          <Link to="/" className="brand phone-only">
            <img src="/favicon.svg" alt="" width={24} height={24} />
            <span>FlowLens</span>
          </Link>
          <div className="topbar-right">
            <LiveDot />
            <ThemeToggle />
            <UserMenu session={props.session} onLogout={props.onLogout} />
          </div>
        </header>
        <main id="main" tabIndex={-1}>
          {props.children}
        </main>
      </div>
    </div>
  );
}
