import type { NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { text, type ColumnNode } from '../graph.ts';
import { useLang } from '../i18n.ts';

/** A phase column of the routine's table: a shaded band with its heading. */
function ColumnNodeView({ data }: NodeProps<ColumnNode>) {
  const { lang } = useLang();
  return (
    <div className={`column-node column-${data.index % 2 === 0 ? 'even' : 'odd'}`}>
      <div className="column-title">
        <span className="column-number" aria-hidden="true">{data.index + 1}</span> <span className="column-label">{text(data.column, lang)}</span>
      </div>
    </div>
  );
}

export default memo(ColumnNodeView);
