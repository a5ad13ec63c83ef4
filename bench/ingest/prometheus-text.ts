/** Just enough of the Prometheus text format to sum a metric's samples. */

/** One sample: its labels and value. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** The samples of metric `name` (exact name, any labels). */
export function samples(text: string, name: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    const close = rest.lastIndexOf('}');
    const labelText = rest[0] === '{' ? rest.slice(1, close) : '';
    const value = Number(
      rest
        .slice(close + 1)
        .trim()
        .split(' ')[0],
    );
    const labels: Record<string, string> = {};
    for (const m of labelText.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[m[1]!] = m[2]!;
    out.push({ labels, value });
  }
  return out;
}

/** The sum of metric `name` over samples whose labels match `where`. */
export function sum(text: string, name: string, where: Record<string, string> = {}): number {
  return samples(text, name)
    .filter((s) => Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0);
}

/** Sums of metric `name` grouped by the joined values of `keys`. */
export function sumBy(text: string, name: string, keys: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of samples(text, name)) {
    const k = keys.map((key) => s.labels[key] ?? '').join('/');
    out[k] = (out[k] ?? 0) + s.value;
  }
  return out;
}
