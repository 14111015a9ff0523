import { describe, expect, it } from 'vitest';
import { sseParser, type SseEvent } from './sse';

function parse(...chunks: string[]) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const feed = sseParser((e) => events.push(e), (c) => comments.push(c));
  chunks.forEach(feed);
  return { events, comments };
}

describe('sseParser', () => {
  it('reads id, event and data, and says "message" when no event is named', () => {
    const { events } = parse('id: 1\nevent: com.taskmanagement.task.created.v1\ndata: {"a":1}\n\ndata: plain\n\n');
    expect(events).toEqual([
      { id: '1', type: 'com.taskmanagement.task.created.v1', data: '{"a":1}' },
      { id: '1', type: 'message', data: 'plain' },
    ]);
  });

  it('dispatches only at a blank line, however the text is split into chunks', () => {
    const text = 'id: e-1\nevent: x\ndata: {"title":"Buy milk"}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const { events } = parse(text.slice(0, cut), text.slice(cut));
      expect(events, `split at ${cut}`).toEqual([{ id: 'e-1', type: 'x', data: '{"title":"Buy milk"}' }]);
    }
    expect(parse('data: a\n').events).toEqual([]);
  });

  it('accepts CRLF, LF and CR line ends, a CRLF split between chunks counting once', () => {
    expect(parse('data: a\r\n\r\ndata: b\r\rdata: c\n\n').events.map((e) => e.data)).toEqual(['a', 'b', 'c']);
    expect(parse('data: a\r', '\n', '\r', '\ndata: b\r\n\r\n').events.map((e) => e.data)).toEqual(['a', 'b']);
  });

  it('joins data lines with LF and strips one space after the colon only', () => {
    expect(parse('data:  two spaces\ndata\ndata:x\n\n').events[0]?.data).toBe(' two spaces\n\nx');
  });

  it('hands comments over without dispatching them, and ignores unknown fields and retry', () => {
    const { events, comments } = parse('retry: 3000\n: live\n\n: heartbeat\nfoo: bar\n\n');
    expect(events).toEqual([]);
    expect(comments).toEqual(['live', 'heartbeat']);
  });

  it('keeps the last id for later events, resets the type, and drops an event without data', () => {
    const { events } = parse('id: 7\nevent: reset\n\nevent: reset\ndata: {}\n\ndata: next\n\n');
    expect(events).toEqual([
      { id: '7', type: 'reset', data: '{}' },
      { id: '7', type: 'message', data: 'next' },
    ]);
  });
});
