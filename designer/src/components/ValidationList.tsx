/**
 * The draft's validation (issue 6), always in view while editing: errors (which stop publishing)
 * and warnings, in the page's language, each a link to the state or parameter it concerns.
 */
import { issueTarget, type Issue, type ParameterName } from '../editor.ts';
import { useEditorText } from '../i18n-editor.ts';
import type { Validation } from '../versionsApi.ts';

interface Props {
  validation: Validation | null;
  pending: boolean;
  stateName(id: string): string;
  parameterName(name: ParameterName): string;
  onState(id: string): void;
  onParameter(name: ParameterName): void;
}

export function ValidationList({ validation, pending, stateName, parameterName, onState, onParameter }: Props) {
  const { lang, e } = useEditorText();
  const issues = validation?.issues ?? [];
  const errors = issues.filter((i) => i.severity === 'error').length;
  const warnings = issues.length - errors;
  const status = !validation ? 'pending' : errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'ok';
  const line = (issue: Issue, i: number) => {
    const target = issueTarget(issue);
    const message = lang === 'en' ? issue.messageEn : issue.message;
    const severity = issue.severity === 'error' ? e.severityError : e.severityWarning;
    return (
      <li key={i} className={`issue ${issue.severity}`}>
        <span className={`issue-severity ${issue.severity}`}><span className={`sev-icon ${issue.severity}`} aria-hidden="true">{issue.severity === 'error' ? '!' : '⚠'}</span> {severity}</span>
        {target ? (
          <button
            type="button"
            className="link-button issue-message"
            title={target.kind === 'state' ? e.goToState(stateName(target.id)) : e.goToParameter(parameterName(target.name))}
            onClick={() => (target.kind === 'state' ? onState(target.id) : onParameter(target.name))}
          >
            {message}
          </button>
        ) : (
          <span className="issue-message">{message}</span>
        )}
      </li>
    );
  };
  return (
    <section className={`validation-list status-${status}`} aria-labelledby="validation-title" aria-live="polite">
      <h2 id="validation-title">
        <span className={`sev-icon ${status}`} aria-hidden="true">{status === 'ok' ? '✓' : status === 'error' ? '!' : status === 'warning' ? '⚠' : '…'}</span>
        {e.validationTitle}: <span className="validation-counts">{validation ? e.validationCounts(errors, warnings) : e.validationPending}</span>
        {pending && validation && <span className="muted validation-pending"> · {e.validationPending}</span>}
      </h2>
      {validation && errors === 0 && <p className="validation-ok">{e.validationOk}</p>}
      {issues.length > 0 && (
        <>
          {errors > 0 && <p className="muted validation-note">{e.validationBlocks}</p>}
          <ul className="issues">{issues.map(line)}</ul>
        </>
      )}
    </section>
  );
}
