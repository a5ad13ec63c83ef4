/** Light, dark, or following the system; the choice is kept in localStorage. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'flowlens-theme';

export function getTheme(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

/** Applies a choice to <html data-theme> and tells charts to repaint. */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') {
    localStorage.removeItem(KEY);
    delete document.documentElement.dataset.theme;
  } else {
    localStorage.setItem(KEY, choice);
    document.documentElement.dataset.theme = choice;
  }
  window.dispatchEvent(new Event('flowlens-theme'));
}
