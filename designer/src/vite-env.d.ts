declare module 'virtual:elk-cache' {
  import type { ElkNode } from 'elkjs/lib/elk-api.js';
  const layouts: Record<string, ElkNode>;
  export default layouts;
}
