import { useId, useState } from 'react';
import { Tooltip, type TooltipState } from './Tooltip.tsx';

/**
 * A rule id that shows the routine's sentence on hover or keyboard focus (as on the map); screen
 * readers get the sentence as the chip's description.
 */
export function RuleChip({ id, title, sentence }: { id: string; title?: string; sentence?: string }) {
  const describedBy = useId();
  const [tip, setTip] = useState<TooltipState | null>(null);
  const show = (el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    setTip({ content: { title: title ?? id, rules: [{ id, ...(sentence ? { sentence } : {}) }] }, rect: { left: r.left, top: r.top, right: r.right, bottom: r.bottom } });
  };
  const hide = () => setTip(null);
  return (
    <>
      <span
        className="rule-chip"
        tabIndex={0}
        aria-describedby={sentence ? describedBy : undefined}
        onMouseEnter={(e) => show(e.currentTarget)}
        onMouseLeave={hide}
        onFocus={(e) => show(e.currentTarget)}
        onBlur={hide}
        onKeyDown={(e) => (e.key === 'Escape' ? hide() : undefined)}
      >
        <span className="rule-id">{id}</span>
        {sentence && <span id={describedBy} className="sr-only">”{sentence}”</span>}
      </span>
      <Tooltip state={tip} />
    </>
  );
}
