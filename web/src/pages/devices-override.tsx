/**
 * The manual edit form of a device (PATCH /api/v1/devices/{id}): a manual
 * value always wins over discovery and survives it; an emptied field goes
 * back to what discovery says. Viewers see the form disabled.
 */
import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { apiPatch } from '../api.ts';
import { Card } from '../components/ui.tsx';
import { DEVICE_TYPES } from './devices.tsx';

const FIELDS = [
  ['name', 'Name'],
  ['manufacturer', 'Manufacturer'],
  ['model', 'Model'],
  ['os', 'Operating system'],
  ['osVersion', 'OS version'],
] as const;
type Field = (typeof FIELDS)[number][0] | 'deviceType';

export function OverrideForm(props: {
  device: { id: string; override: Record<string, string> };
  canEdit: boolean;
  onSaved: () => void;
}): ReactElement {
  const { device, canEdit } = props;
  const [values, setValues] = useState<Record<string, string>>(device.override);
  const [state, setState] = useState<{ saving?: boolean; error?: string; saved?: boolean }>({});
  const key = JSON.stringify(device.override);
  useEffect(() => setValues(JSON.parse(key) as Record<string, string>), [key]);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    // Only what changed: a new value sets the edit, an emptied field clears it.
    const patch: Record<string, string | null> = {};
    for (const f of [...FIELDS.map((x) => x[0]), 'deviceType'] as Field[]) {
      const v = (values[f] ?? '').trim();
      const was = device.override[f] ?? '';
      if (v !== was) patch[f] = v === '' ? null : v;
    }
    if (Object.keys(patch).length === 0) return setState({ error: 'Nothing changed.' });
    setState({ saving: true });
    apiPatch(`devices/${encodeURIComponent(device.id)}`, patch).then(
      () => {
        setState({ saved: true });
        props.onSaved();
      },
      (err: unknown) => setState({ error: (err as Error).message }),
    );
  };

  const set = (f: Field, v: string): void => {
    setValues({ ...values, [f]: v });
    setState({});
  };
  return (
    <Card
      title="Manual edit"
      id="device-override"
      actions={!canEdit && <span className="muted small">Viewers cannot edit devices.</span>}
    >
      <form className="override-form" onSubmit={submit} aria-describedby="override-help">
        <p id="override-help" className="muted small">
          A value set here always wins over discovery and survives rediscovery and restarts. Empty a field to
          go back to what discovery says.
        </p>
        <fieldset disabled={!canEdit || state.saving} className="kv">
          <div>
            <label htmlFor="ov-deviceType">Type</label>
            <select
              id="ov-deviceType"
              className="search"
              value={values['deviceType'] ?? ''}
              onChange={(e) => set('deviceType', e.target.value)}
            >
              <option value="">(from discovery)</option>
              {DEVICE_TYPES.map((t) => (
                <option key={t} value={t}>
                  {t}
                </option>
              ))}
            </select>
          </div>
          {FIELDS.map(([f, label]) => (
            <div key={f}>
              <label htmlFor={`ov-${f}`}>{label}</label>
              <input
                id={`ov-${f}`}
                maxLength={128}
                placeholder="(from discovery)"
                value={values[f] ?? ''}
                onChange={(e) => set(f, e.target.value)}
              />
            </div>
          ))}
        </fieldset>
        <p>
          <button type="submit" className="btn primary" disabled={!canEdit || state.saving}>
            {state.saving ? 'Saving…' : 'Save'}
          </button>{' '}
          <span role="status" aria-live="polite">
            {state.saved && <span className="muted">Saved.</span>}
          </span>
        </p>
        {state.error && (
          <p className="error" role="alert">
            {state.error}
          </p>
        )}
      </form>
    </Card>
  );
}
