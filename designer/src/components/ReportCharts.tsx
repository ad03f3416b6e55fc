/**
 * The Reports page's charts, drawn as plain SVG: each has a title and a description for screen
 * readers (and a label per bar), values written on the bars, and the figures as a table under
 * "Visa som tabell". Colour is never the only carrier: the threshold is a labelled line.
 */
import { useId } from 'react';
import { useReportTexts } from '../i18n-reports.ts';
import { useLang } from '../i18n.ts';
import { countTicks, formatMonth, formatNumber, formatShare, type MonthShare } from '../reports.ts';

const bucketLabel = (i: number, last: number) => (i === last ? `${i}+` : String(i));

/** Cases per number of days after day zero (0 … 10+), with the threshold as a dashed line. */
export function DistributionChart({ distribution, threshold, kommun }: { distribution: number[]; threshold: number | null; kommun: string | null }) {
  const { lang } = useLang();
  const r = useReportTexts();
  const id = useId();
  const W = 480;
  const H = 250;
  const m = { left: 40, right: 14, top: 40, bottom: 46 };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const last = distribution.length - 1;
  const max = Math.max(0, ...distribution);
  const ticks = countTicks(max);
  const top = ticks[ticks.length - 1] ?? 1;
  const step = plotW / distribution.length;
  const y = (v: number) => m.top + plotH - (v / top) * plotH;
  const total = distribution.reduce((a, b) => a + b, 0);
  const over = threshold === null ? 0 : distribution.reduce((n, v, i) => n + (i > threshold ? v : 0), 0);
  const thresholdText = threshold === null ? '–' : formatNumber(threshold, lang);
  // Days are whole: the line goes between the last bucket within the threshold and the first over it.
  const thresholdX = threshold === null ? null : m.left + step * Math.min(Math.floor(threshold) + 1, last);
  return (
    <figure className="rep-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} className="rep-svg">
        <title id={`${id}-t`}>{r.distTitle(kommun)}</title>
        <desc id={`${id}-d`}>{r.distDesc(total, over, thresholdText)}</desc>
        {ticks.map((v) => (
          <g key={v} className="rep-grid">
            <line x1={m.left} x2={W - m.right} y1={y(v)} y2={y(v)} />
            <text x={m.left - 6} y={y(v)} dy="0.32em" textAnchor="end">{v}</text>
          </g>
        ))}
        {distribution.map((v, i) => {
          const h = (v / top) * plotH;
          const x = m.left + step * i + step * 0.15;
          const overThreshold = threshold !== null && i > threshold;
          return (
            <g key={i} role="presentation">
              {v > 0 && (
                <rect x={x} y={y(v)} width={step * 0.7} height={h} rx={2} className={overThreshold ? 'rep-bar over' : 'rep-bar'}>
                  <title>{r.distBar(bucketLabel(i, last), v)}</title>
                </rect>
              )}
              {v > 0 && <text x={x + step * 0.35} y={y(v) - 5} textAnchor="middle" className="rep-value">{v}</text>}
              <text x={m.left + step * (i + 0.5)} y={H - m.bottom + 16} textAnchor="middle" className="rep-tick">{bucketLabel(i, last)}</text>
            </g>
          );
        })}
        <line x1={m.left} x2={W - m.right} y1={m.top + plotH} y2={m.top + plotH} className="rep-axis" />
        {thresholdX !== null && (
          <g className="rep-threshold">
            <line x1={thresholdX} x2={thresholdX} y1={m.top - 22} y2={m.top + plotH} />
            <text x={thresholdX + 5} y={m.top - 16}>{r.distThreshold(thresholdText)} →</text>
          </g>
        )}
        <text x={m.left + plotW / 2} y={H - 8} textAnchor="middle" className="rep-axis-label">{r.distAxisX}</text>
        <text x={12} y={m.top + plotH / 2} textAnchor="middle" className="rep-axis-label" transform={`rotate(-90 12 ${m.top + plotH / 2})`}>{r.distAxisY}</text>
      </svg>
      <figcaption className="rep-legend">
        <span><span className="rep-swatch" aria-hidden="true" /> {r.distLegendUnder}</span>
        <span><span className="rep-swatch over" aria-hidden="true" /> {r.distLegendOver}</span>
        <span><span className="rep-swatch threshold" aria-hidden="true" /> {r.distThreshold(thresholdText)}</span>
      </figcaption>
      <details className="rep-data">
        <summary>{r.asTable}</summary>
        <table>
          <caption className="sr-only">{r.distTitle(kommun)}</caption>
          <thead><tr><th scope="col">{r.colDaysAfter}</th><th scope="col">{r.distAxisY}</th></tr></thead>
          <tbody>{distribution.map((v, i) => <tr key={i}><th scope="row">{bucketLabel(i, last)}</th><td>{v}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}

/** The share met in time per rule: one horizontal bar each, 0–100 %. */
export function RuleShareChart({ byRule, titles, selected }: {
  byRule: { rule: string; total: number; inTime: number; share: number | null }[];
  titles: Map<string, { title: string }>;
  selected: string | null;
}) {
  const { lang } = useLang();
  const r = useReportTexts();
  const id = useId();
  const W = 480;
  const row = 34;
  const m = { left: 56, right: 118, top: 22, bottom: 8 };
  const plotW = W - m.left - m.right;
  const H = m.top + m.bottom + row * byRule.length;
  const x = (share: number) => m.left + share * plotW;
  const labels = byRule.map((b) => r.ruleBar(b.rule, formatShare(b.share, lang), b.inTime, b.total));
  return (
    <figure className="rep-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} className="rep-svg">
        <title id={`${id}-t`}>{r.byRuleTitle}</title>
        <desc id={`${id}-d`}>{r.byRuleDesc(labels.join('; '))}</desc>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v} className="rep-grid">
            <line x1={x(v)} x2={x(v)} y1={m.top - 4} y2={H - m.bottom} />
            <text x={x(v)} y={m.top - 8} textAnchor="middle">{formatShare(v, lang)}</text>
          </g>
        ))}
        {byRule.map((b, i) => {
          const top = m.top + i * row + 6;
          const h = row - 12;
          const dim = selected !== null && selected !== b.rule;
          return (
            <g key={b.rule} className={dim ? 'rep-dim' : undefined}>
              <title>{`${labels[i]}${titles.get(b.rule) ? ` – ${titles.get(b.rule)!.title}` : ''}`}</title>
              <text x={m.left - 8} y={top + h / 2} dy="0.32em" textAnchor="end" className="rep-rule-label">{b.rule}</text>
              <rect x={m.left} y={top} width={plotW} height={h} rx={3} className="rep-track" />
              {b.share !== null && b.share > 0 && <rect x={m.left} y={top} width={b.share * plotW} height={h} rx={3} className={`rep-bar share ${shareClass(b.share)}`} />}
              <text x={W - m.right + 8} y={top + h / 2} dy="0.32em" className="rep-value">
                {b.total ? <><tspan fontWeight={700}>{formatShare(b.share, lang)}</tspan><tspan className="rep-value-soft"> ({r.of(b.inTime, b.total)})</tspan></> : <tspan className="rep-value-soft">{r.noDeadlines}</tspan>}
              </text>
            </g>
          );
        })}
      </svg>
      <ShareLegend />
      <details className="rep-data">
        <summary>{r.asTable}</summary>
        <table>
          <caption className="sr-only">{r.byRuleTitle}</caption>
          <thead><tr><th scope="col">{r.colRule}</th><th scope="col">{r.colTotal}</th><th scope="col">{r.colInTime}</th><th scope="col">{r.colShare}</th></tr></thead>
          <tbody>{byRule.map((b) => <tr key={b.rule}><th scope="row">{b.rule}</th><td>{b.total}</td><td>{b.inTime}</td><td>{formatShare(b.share, lang)}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}

function ShareLegend() {
  const r = useReportTexts();
  return (
    <p className="rep-legend">
      <span className="muted">{r.shareLegend}</span>
      <span><span className="rep-swatch good" aria-hidden="true" /> {r.shareGood}</span>
      <span><span className="rep-swatch fair" aria-hidden="true" /> {r.shareFair}</span>
      <span><span className="rep-swatch poor" aria-hidden="true" /> {r.sharePoor}</span>
    </p>
  );
}

/** Good, fair, poor: a second carrier next to the written percentage. */
export function shareClass(share: number | null): string {
  if (share === null) return '';
  return share >= 0.9 ? 'good' : share >= 0.7 ? 'fair' : 'poor';
}

/** The share in time per month of the period: one column per month, the count under it. */
export function MonthlyChart({ months, rule }: { months: MonthShare[]; rule: string | null }) {
  const { lang } = useLang();
  const r = useReportTexts();
  const id = useId();
  const W = 480;
  const H = 250;
  const m = { left: 44, right: 12, top: 24, bottom: 48 };
  const plotW = W - m.left - m.right;
  const plotH = H - m.top - m.bottom;
  const step = plotW / Math.max(1, months.length);
  const barW = Math.min(46, step * 0.66);
  const y = (share: number) => m.top + plotH - share * plotH;
  const labels = months.map((mo) => r.monthBar(formatMonth(mo.month, lang, 'long'), formatShare(mo.share, lang), mo.inTime, mo.total));
  return (
    <figure className="rep-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-t`} aria-describedby={`${id}-d`} className="rep-svg">
        <title id={`${id}-t`}>{r.overTimeTitle(rule)}</title>
        <desc id={`${id}-d`}>{r.overTimeDesc(labels.join('; '))}</desc>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v} className="rep-grid">
            <line x1={m.left} x2={W - m.right} y1={y(v)} y2={y(v)} />
            <text x={m.left - 6} y={y(v)} dy="0.32em" textAnchor="end">{formatShare(v, lang)}</text>
          </g>
        ))}
        {months.map((mo, i) => {
          const cx = m.left + step * (i + 0.5);
          const [year, month] = mo.month.split('-');
          const monthName = formatMonth(mo.month, lang).replace(/\s*\d{4}$/, '');
          return (
            <g key={mo.month}>
              <title>{labels[i]}</title>
              {mo.share !== null && <rect x={cx - barW / 2} y={y(mo.share)} width={barW} height={Math.max(0, mo.share * plotH)} rx={2} className={`rep-bar share ${shareClass(mo.share)}`} />}
              <text x={cx} y={mo.share === null ? y(0) - 6 : y(mo.share) - 5} textAnchor="middle" className="rep-value">{mo.share === null ? '–' : formatShare(mo.share, lang)}</text>
              <text x={cx} y={H - m.bottom + 15} textAnchor="middle" className="rep-tick">{monthName}</text>
              <text x={cx} y={H - m.bottom + 29} textAnchor="middle" className="rep-tick soft">{i === 0 || month === '01' ? year : ''}</text>
              <text x={cx} y={H - m.bottom + 43} textAnchor="middle" className="rep-tick soft">{mo.total ? `n=${mo.total}` : ''}</text>
            </g>
          );
        })}
        <line x1={m.left} x2={W - m.right} y1={m.top + plotH} y2={m.top + plotH} className="rep-axis" />
      </svg>
      <details className="rep-data">
        <summary>{r.asTable}</summary>
        <table>
          <caption className="sr-only">{r.overTimeTitle(rule)}</caption>
          <thead><tr><th scope="col">{r.colMonth}</th><th scope="col">{r.colTotal}</th><th scope="col">{r.colInTime}</th><th scope="col">{r.colShare}</th></tr></thead>
          <tbody>{months.map((mo) => <tr key={mo.month}><th scope="row">{formatMonth(mo.month, lang)}</th><td>{mo.total}</td><td>{mo.inTime}</td><td>{formatShare(mo.share, lang)}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}
