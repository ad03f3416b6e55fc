/**
 * Prints ELK's layouts of the shipped pathways (both languages) as JSON, keyed by a hash of ELK's
 * input. The designer's build bundles it (designer/vite.config.ts, `virtual:elk-cache`) so the
 * first drawing of a pathway need not wait for ELK to start; any definition the server sends that
 * differs from the shipped one hashes differently and is laid out by ELK in the browser as usual.
 */
import ElkBundled from 'elkjs/lib/elk.bundled.js';
import type { ELK as ElkInstance, ELKConstructorArguments } from 'elkjs/lib/elk-api.js';
import { buildModel, elkGraph, graphKey, slimLayout, type Lang } from '../designer/src/graph.ts';
import { PATHWAY_IDS } from '../machines/events.ts';
import { PATHWAYS } from '../machines/pathways.ts';

const ELK = ElkBundled as unknown as new (args?: ELKConstructorArguments) => ElkInstance;
const elk = new ELK();
const out: Record<string, unknown> = {};
for (const id of PATHWAY_IDS) {
  for (const lang of ['sv', 'en'] as Lang[]) {
    const input = elkGraph(buildModel(PATHWAYS[id]), lang);
    const key = graphKey(input);
    out[key] ??= slimLayout(await elk.layout(input));
  }
}
process.stdout.write(JSON.stringify(out));
