/**
 * A server-sent events parser (the WHATWG "event stream interpretation"), fed text chunks as they
 * arrive from a fetch body. EventSource cannot send an Authorization header, so the stream is read
 * with fetch and parsed here. Pure: no I/O, no timers.
 */

export interface SseMessage {
  event: string;
  data: string;
  id: string | null;
}

export class SseParser {
  private buffer = '';
  /** A chunk ended in "\r": a "\n" starting the next one belongs to the same line end. */
  private pendingCr = false;
  private event = '';
  private data: string[] = [];
  private hasData = false;
  /** The last event id seen (sent back as Last-Event-ID on reconnect). */
  lastEventId: string | null = null;

  constructor(
    private readonly onMessage: (message: SseMessage) => void,
    private readonly onRetry: (ms: number) => void = () => {},
  ) {}

  push(chunk: string): void {
    let text = chunk;
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line(this.buffer.slice(start, i));
      if (c === 13) {
        if (i + 1 < this.buffer.length) {
          if (this.buffer.charCodeAt(i + 1) === 10) i++;
        } else this.pendingCr = true;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** Forgets a half-received message (after the connection dropped). */
  reset(): void {
    this.buffer = '';
    this.pendingCr = false;
    this.event = '';
    this.data = [];
    this.hasData = false;
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.onRetry(Number(value));
        break;
      default:
        break;
    }
  }

  private dispatch(): void {
    if (this.hasData) this.onMessage({ event: this.event || 'message', data: this.data.join('\n'), id: this.lastEventId });
    this.event = '';
    this.data = [];
    this.hasData = false;
  }
}
