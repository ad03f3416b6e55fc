import { useId, useMemo, useState, type FormEvent } from 'react';
import { useLang } from '../i18n.ts';
import { fieldLabel, fieldsOf, initialValues, optionLabel, toPayload, type Field, type FormValues } from '../schemaForm.ts';

interface Props {
  type: string;
  title: string;
  schema: unknown;
  match?: Record<string, string | boolean>;
  defaults?: FormValues;
  localToInstant(value: string): string;
  onSubmit(event: Record<string, unknown>): void;
  onCancel(): void;
}

/** A form built from the event's JSON Schema: enums as selects, booleans as yes/no, times as local times. */
export function EventForm({ type, title, schema, match, defaults, localToInstant, onSubmit, onCancel }: Props) {
  const { lang, t } = useLang();
  const id = useId();
  const fields = useMemo(() => fieldsOf(schema), [schema]);
  const [values, setValues] = useState<FormValues>(() => initialValues(fields, match, defaults));
  const [error, setError] = useState<{ field: string; message: string } | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = toPayload(fields, values, localToInstant, lang);
    if (!result.ok) {
      setError(result);
      return;
    }
    onSubmit({ type, ...result.payload });
  };

  const input = (f: Field) => {
    const common = {
      id: `${id}-${f.name}`,
      value: values[f.name] ?? '',
      'aria-invalid': error?.field === f.name ? true : undefined,
      'aria-describedby': error?.field === f.name ? `${id}-error` : undefined,
      disabled: match?.[f.name] !== undefined,
    };
    const set = (value: string) => setValues({ ...values, [f.name]: value });
    switch (f.kind) {
      case 'boolean':
        return (
          <select {...common} onChange={(e) => set(e.target.value)}>
            {!f.required && <option value="">{t.unset}</option>}
            <option value="true">{t.yes}</option>
            <option value="false">{t.no}</option>
          </select>
        );
      case 'enum':
        return (
          <select {...common} onChange={(e) => set(e.target.value)}>
            {!f.required && <option value="">{t.unset}</option>}
            {f.options?.map((o) => <option key={o} value={o}>{optionLabel(o, lang)}</option>)}
          </select>
        );
      case 'date':
        return <input {...common} type="date" onChange={(e) => set(e.target.value)} required={f.required} />;
      case 'datetime':
        return <input {...common} type="datetime-local" onChange={(e) => set(e.target.value)} required={f.required} />;
      case 'number':
        return <input {...common} type="number" onChange={(e) => set(e.target.value)} required={f.required} />;
      default:
        return <input {...common} type="text" onChange={(e) => set(e.target.value)} required={f.required} maxLength={f.maxLength} />;
    }
  };

  return (
    <form className="event-form card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t.simFormTitle(title)} <code>{type}</code></h3>
      {fields.length === 0 && <p className="muted">—</p>}
      <div className="form-grid">
        {fields.map((f) => (
          <div key={f.name} className="form-field">
            <label htmlFor={`${id}-${f.name}`}>
              {fieldLabel(f.name, lang)} <span className="muted">({f.required ? t.required : t.optional})</span>
            </label>
            {input(f)}
          </div>
        ))}
      </div>
      {error && <p id={`${id}-error`} role="alert" className="error">{fieldLabel(error.field, lang)}: {error.message}</p>}
      <div className="form-actions">
        <button type="submit">{t.simSend}</button>
        <button type="button" className="secondary" onClick={onCancel}>{t.simCancel}</button>
      </div>
    </form>
  );
}
