/** Export of the shown version or the draft (issue 6): JSON, BPMN 2.0 and SCXML, as downloads. */
import { useState } from 'react';
import { useEditorText } from '../i18n-editor.ts';
import { download, errorText, versionsApi, type ExportFormat } from '../versionsApi.ts';

interface Props {
  pathway: string;
  version: number | 'draft';
  /** Runs first (the editor saves the draft, which the server exports). */
  before?: () => Promise<void>;
  disabled?: boolean;
}

const FORMATS: [ExportFormat, string][] = [['json', 'JSON'], ['bpmn', 'BPMN'], ['scxml', 'SCXML']];

export function ExportButtons({ pathway, version, before, disabled = false }: Props) {
  const { e } = useEditorText();
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (format: ExportFormat) => {
    setBusy(format);
    setError(null);
    try {
      await before?.();
      const { blob, name } = await versionsApi.exportFile(pathway, version, format);
      download(blob, name);
    } catch (err) {
      setError(`${e.exportFailed}: ${errorText(err)}`);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="export-buttons" role="group" aria-label={e.exportLabel}>
      <span className="export-label">{e.exportLabel}</span>
      {FORMATS.map(([format, label]) => (
        <button key={format} type="button" className="secondary small" aria-label={e.exportAs(label)} title={e.exportAs(label)}
          disabled={disabled || busy !== null} aria-busy={busy === format} onClick={() => void run(format)}>
          {label}
        </button>
      ))}
      {error && <span className="error inline-error" role="alert">{error}</span>}
    </div>
  );
}
