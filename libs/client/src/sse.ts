/** One server-sent event, as the WHATWG event-stream format defines it. */
export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
  /** The last event id in force when this event was dispatched (may be ''). */
  readonly lastEventId: string;
}

/**
 * An incremental parser of `text/event-stream` (WHATWG HTML §9.2.6): feed it decoded text as
 * it arrives; it returns the events completed by that text. Comments are dropped; `retry`
 * updates `retryMs`; an `id` holding NUL is ignored, as the standard says.
 */
export class EventStreamParser {
  lastEventId = '';
  retryMs: number | undefined;
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private sawCr = false;

  feed(text: string): ServerSentEvent[] {
    const out: ServerSentEvent[] = [];
    // A CRLF split across two chunks: the LF that ends the previous CR's line is not a new line.
    if (this.sawCr && text.startsWith('\n')) text = text.slice(1);
    this.buffer += text;
    this.sawCr = this.buffer.endsWith('\r');
    // Lines end with CRLF, LF or CR; the last piece is incomplete unless the text ended a line.
    const lines = this.buffer.split(/\r\n|\r|\n/);
    this.buffer = lines.pop() ?? '';
    for (const line of lines) {
      const event = this.line(line);
      if (event) out.push(event);
    }
    return out;
  }

  private line(line: string): ServerSentEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  private dispatch(): ServerSentEvent | undefined {
    const event = this.event;
    const data = this.data;
    this.event = '';
    this.data = [];
    if (data.length === 0) return undefined;
    return { event: event === '' ? 'message' : event, data: data.join('\n'), lastEventId: this.lastEventId };
  }
}
