// Server-sent events, read from a fetch body (EventSource cannot send the Authorization header).
// The parsing rules are the HTML standard's "event stream interpretation" (§9.2.6).

export interface SseEvent {
  /** The last `id:` seen so far in the stream ('' if none). */
  id: string;
  /** `event:`, or 'message' when the event named none. */
  type: string;
  /** The `data:` lines joined with '\n'. */
  data: string;
}

/**
 * A parser to feed decoded text chunks as they arrive; lines may end in CRLF, LF or CR and may be split
 * anywhere between chunks. `onComment` gets each `:` line's text (the server's `: live`, `: heartbeat`).
 */
export function sseParser(onEvent: (event: SseEvent) => void, onComment?: (text: string) => void): (chunk: string) => void {
  let pending = '';
  let afterCR = false; // the last chunk ended in CR: a leading LF of the next one belongs to it
  let id = '';
  let type = '';
  let data: string[] = [];

  function line(text: string): void {
    if (text === '') {
      // A blank line dispatches; without data there is nothing to dispatch (a lone `event:` or `id:`).
      if (data.length > 0) onEvent({ id, type: type || 'message', data: data.join('\n') });
      data = [];
      type = '';
      return;
    }
    const colon = text.indexOf(':');
    if (colon === 0) {
      onComment?.(text.slice(1).trimStart());
      return;
    }
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    // `retry` and unknown fields are ignored: the client keeps its own back-off.
  }

  return (chunk) => {
    let text = pending + chunk;
    if (afterCR && text.startsWith('\n')) text = text.slice(1);
    afterCR = false;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c !== '\n' && c !== '\r') continue;
      line(text.slice(start, i));
      if (c === '\r') {
        if (i + 1 === text.length) afterCR = true;
        else if (text[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    pending = text.slice(start);
  };
}
