/** Before the browser tests: Debian's chromium present (apt when missing), designer/dist up to date. */
import { ensureChromium } from '../../scripts/ensure-chromium.mjs';
import { ensureDesignerBuilt } from '../../scripts/ensure-designer-build.mjs';

export default function setup(): void {
  ensureChromium();
  ensureDesignerBuilt();
}
