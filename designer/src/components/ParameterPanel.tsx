/**
 * Every parameter of a pathway draft (issue 6), named as the routine names it (PARAMETER_LABELS via
 * the catalogue) with the rule it sets: durations as amount + unit (+ "på vardagar" for hours),
 * fixed-unit stays, the status-message window, times of day, the permission rule and the
 * per-kommun organisations. Parameters the routine may leave out can be switched off. Each shows
 * its published value when it differs, and the validation issues that concern it.
 */
import { useEffect, useId, useRef, useState } from 'react';
import {
  DURATION_UNITS, PARAMETER_NAMES, PARAMETER_SPECS, parameterText, readDuration, sameDefinition, unitWord, writeDuration,
  type Definition, type DurationUnit, type Issue, type ParameterName,
} from '../editor.ts';
import { useEditorText } from '../i18n-editor.ts';
import type { Catalogue } from '../versionsApi.ts';

interface Props {
  definition: Definition;
  published: Definition | null;
  catalogue: Catalogue | null;
  issues: Issue[];
  /** A parameter to bring into view and focus (from the validation list). */
  focus: { name: ParameterName; at: number } | null;
  onChange(name: ParameterName, value: unknown): void;
}

/** A number field that keeps what is typed (an empty field, "1,") while passing on what parses. */
function NumberField({ value, onChange, label, step = 1, invalid, id }: {
  value: number; onChange(n: number): void; label: string; step?: number; invalid?: boolean; id?: string;
}) {
  const [text, setText] = useState(String(value));
  useEffect(() => {
    setText((current) => (Number(current.replace(',', '.')) === value ? current : String(value)));
  }, [value]);
  return (
    <input
      id={id}
      type="text"
      inputMode={step < 1 ? 'decimal' : 'numeric'}
      className="param-number"
      aria-label={label}
      aria-invalid={invalid || undefined}
      value={text}
      onChange={(event) => {
        const next = event.target.value;
        setText(next);
        const n = Number(next.replace(',', '.'));
        // Out-of-range numbers are passed on too: the validation says what the limits are.
        if (next.trim() !== '' && Number.isFinite(n)) onChange(n);
      }}
    />
  );
}

function Toggle({ on, onChange, label }: { on: boolean; onChange(on: boolean): void; label: string }) {
  return (
    <label className="param-toggle">
      <input type="checkbox" checked={on} onChange={(event) => onChange(event.target.checked)} />
      <span>{label}</span>
    </label>
  );
}

function DurationEditor({ name, value, onChange, label, invalid }: { name: ParameterName; value: unknown; onChange(v: unknown): void; label: string; invalid: boolean }) {
  const { lang, e } = useEditorText();
  const d = readDuration(value) ?? readDuration(PARAMETER_SPECS[name].fallback)!;
  const set = (patch: Partial<typeof d>) => onChange(writeDuration({ ...d, ...patch }));
  return (
    <div className="param-row">
      <NumberField value={d.amount} onChange={(amount) => set({ amount })} label={`${e.amount}: ${label}`} invalid={invalid} />
      <select aria-label={`${e.unit}: ${label}`} value={d.unit} onChange={(event) => set({ unit: event.target.value as DurationUnit, weekdaysOnly: event.target.value === 'hours' ? d.weekdaysOnly : false })}>
        {DURATION_UNITS.map((u) => <option key={u} value={u}>{unitWord(u, d.amount, lang)}</option>)}
      </select>
      {d.unit === 'hours' && (
        <label className="param-inline" title={e.onWeekdaysHint}>
          <input type="checkbox" checked={d.weekdaysOnly} onChange={(event) => set({ weekdaysOnly: event.target.checked })} />
          {e.onWeekdays}
        </label>
      )}
    </div>
  );
}

interface OrgRow {
  kommun: string;
  basalHemsjukvard: string;
  otherwise: string;
}

function OrganisationsEditor({ value, onChange }: { value: Record<string, { basalHemsjukvard: string; otherwise: string }>; onChange(v: unknown): void }) {
  const { e } = useEditorText();
  const toRows = (v: typeof value): OrgRow[] => Object.entries(v).map(([kommun, o]) => ({ kommun, ...o }));
  const [rows, setRows] = useState<OrgRow[]>(() => toRows(value));
  const written = useRef(value);
  useEffect(() => {
    if (!sameDefinition(value, written.current)) setRows(toRows(value));
  }, [value]);
  const commit = (next: OrgRow[]) => {
    setRows(next);
    const record = Object.fromEntries(next.map((r) => [r.kommun.trim(), { basalHemsjukvard: r.basalHemsjukvard, otherwise: r.otherwise }]));
    written.current = record;
    onChange(record);
  };
  const edit = (i: number, patch: Partial<OrgRow>) => commit(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <div className="param-orgs">
      {rows.length > 0 && (
        <table>
          <thead><tr><th>{e.kommun}</th><th>{e.basal}</th><th>{e.otherwise}</th><th><span className="sr-only">{e.remove}</span></th></tr></thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={i}>
                <td><input aria-label={e.kommun} value={r.kommun} onChange={(event) => edit(i, { kommun: event.target.value })} /></td>
                <td><input aria-label={`${e.basal} (${r.kommun})`} value={r.basalHemsjukvard} onChange={(event) => edit(i, { basalHemsjukvard: event.target.value })} /></td>
                <td><input aria-label={`${e.otherwise} (${r.kommun})`} value={r.otherwise} onChange={(event) => edit(i, { otherwise: event.target.value })} /></td>
                <td><button type="button" className="icon" aria-label={`${e.remove} ${r.kommun}`} onClick={() => commit(rows.filter((_, j) => j !== i))}>✕</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" className="secondary small" onClick={() => commit([...rows, { kommun: '', basalHemsjukvard: '', otherwise: '' }])}>+ {e.addKommun}</button>
    </div>
  );
}

function ParameterField({ name, label, rule, value, publishedValue, issues, onChange, focusAt }: {
  name: ParameterName; label: string; rule: string; value: unknown; publishedValue: unknown; issues: Issue[]; onChange(v: unknown): void; focusAt: number | null;
}) {
  const { lang, e } = useEditorText();
  const spec = PARAMETER_SPECS[name];
  const ref = useRef<HTMLFieldSetElement>(null);
  const hintId = useId();
  const on = value !== null && value !== undefined;
  const changed = publishedValue !== undefined && !sameDefinition(value, publishedValue);
  const invalid = issues.some((i) => i.severity === 'error');
  useEffect(() => {
    if (focusAt === null || !ref.current) return;
    ref.current.scrollIntoView({ block: 'center', behavior: 'smooth' });
    ref.current.querySelector<HTMLElement>('input, select')?.focus({ preventScroll: true });
  }, [focusAt]);
  const edit = spec.edit;
  const body = (() => {
    if (!on) return <p className="param-off">{e.parameterOff}</p>;
    switch (edit.kind) {
      case 'duration':
        return <DurationEditor name={name} value={value} onChange={onChange} label={label} invalid={invalid} />;
      case 'fixed': {
        const amount = Number((value as Record<string, number>)[edit.unit]);
        return (
          <div className="param-row">
            <NumberField value={amount} onChange={(n) => onChange({ [edit.unit]: n })} label={`${e.amount}: ${label}`} invalid={invalid} />
            <span className="param-unit">{unitWord(edit.unit, amount, lang)}</span>
          </div>
        );
      }
      case 'number':
        return (
          <div className="param-row">
            <NumberField value={value as number} onChange={onChange} label={`${e.amount}: ${label}`} step={edit.step} invalid={invalid} />
            <span className="param-unit">{unitWord(edit.unit, value as number, lang)}</span>
          </div>
        );
      case 'window': {
        const w = value as { earliestDaysBefore: number; latestDaysBefore: number };
        return (
          <div className="param-row wrap">
            <label className="param-inline">{e.windowEarliest} <NumberField value={w.earliestDaysBefore} onChange={(n) => onChange({ ...w, earliestDaysBefore: n })} label={e.windowEarliest} invalid={invalid} /></label>
            <label className="param-inline">{e.windowLatest} <NumberField value={w.latestDaysBefore} onChange={(n) => onChange({ ...w, latestDaysBefore: n })} label={e.windowLatest} invalid={invalid} /></label>
          </div>
        );
      }
      case 'time':
        return (
          <div className="param-row">
            <input type="time" aria-label={label} value={value as string} aria-invalid={invalid || undefined} onChange={(event) => onChange(event.target.value)} />
          </div>
        );
      case 'permission': {
        const p = value as { minHours: number; from: string; to: string };
        return (
          <div className="param-row wrap">
            <label className="param-inline">{e.permissionMin} <NumberField value={p.minHours} onChange={(n) => onChange({ ...p, minHours: n })} label={e.permissionMin} invalid={invalid} /></label>
            <label className="param-inline">{e.permissionFrom} <input type="text" className="param-time" value={p.from} aria-label={`${e.permissionFrom} (HH:MM)`} onChange={(event) => onChange({ ...p, from: event.target.value })} /></label>
            <label className="param-inline">{e.permissionTo} <input type="text" className="param-time" value={p.to} aria-label={`${e.permissionTo} (HH:MM)`} onChange={(event) => onChange({ ...p, to: event.target.value })} /></label>
          </div>
        );
      }
      case 'organisations':
        return <OrganisationsEditor value={value as Record<string, { basalHemsjukvard: string; otherwise: string }>} onChange={onChange} />;
    }
  })();
  return (
    <fieldset ref={ref} id={`param-${name}`} className={`param ${changed ? 'changed' : ''} ${invalid ? 'invalid' : ''}`} aria-describedby={hintId}>
      <legend>
        <span className="param-label">{label}</span> <span className="rule-id">{rule}</span>
      </legend>
      {spec.nullable && (
        <Toggle on={on} label={e.parameterOn} onChange={(next) => onChange(next ? (publishedValue ?? spec.fallback) : null)} />
      )}
      {body}
      <div id={hintId} className="param-hints">
        {changed && <p className="param-changed">{e.changedFrom(parameterText(name, publishedValue, lang))}</p>}
        {issues.map((issue, i) => (
          <p key={i} className={`param-issue ${issue.severity}`}><span className={`sev-icon ${issue.severity}`} aria-hidden="true">{issue.severity === 'error' ? '!' : '⚠'}</span> {lang === 'en' ? issue.messageEn : issue.message}</p>
        ))}
      </div>
    </fieldset>
  );
}

export function ParameterPanel({ definition, published, catalogue, issues, focus, onChange }: Props) {
  const { lang, e } = useEditorText();
  const labels = new Map((catalogue?.parameters ?? []).map((p) => [p.name, p]));
  return (
    <div className="parameter-panel">
      <p className="muted panel-intro">{e.parametersIntro}</p>
      {PARAMETER_NAMES.map((name) => {
        const label = labels.get(name);
        return (
          <ParameterField
            key={name}
            name={name}
            label={label ? (lang === 'en' ? label.en : label.sv) : name}
            rule={label?.rule ?? ''}
            value={definition.parameters[name]}
            publishedValue={published ? published.parameters[name] : undefined}
            issues={issues.filter((i) => i.path === `parameters.${name}` || i.path.startsWith(`parameters.${name}.`))}
            onChange={(value) => onChange(name, value)}
            focusAt={focus?.name === name ? focus.at : null}
          />
        );
      })}
    </div>
  );
}
