import { describe, expect, it } from 'vitest';
import { EventStreamParser } from './sse';

describe('EventStreamParser', () => {
  it('parses events with ids, types and data, skipping comments and keeping retry', () => {
    const p = new EventStreamParser();
    const events = p.feed('retry: 2000\n\n: keep-alive\n\nid: 3\nevent: job.state\ndata: {"a":1}\n\n');
    expect(events).toEqual([{ event: 'job.state', data: '{"a":1}', lastEventId: '3' }]);
    expect(p.retryMs).toBe(2000);
    expect(p.lastEventId).toBe('3');
  });

  it('assembles events split anywhere across chunks, with any line ending', () => {
    const text = 'id: 7\r\nevent: job.progress\r\ndata: line one\r\ndata: line two\r\n\r\nid: 8\rdata:x\r\r';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new EventStreamParser();
      const events = [...p.feed(text.slice(0, cut)), ...p.feed(text.slice(cut))];
      expect(events, `cut at ${cut}`).toEqual([
        { event: 'job.progress', data: 'line one\nline two', lastEventId: '7' },
        { event: 'message', data: 'x', lastEventId: '8' },
      ]);
    }
  });

  it('does not dispatch an event without data, and ignores ids holding NUL', () => {
    const p = new EventStreamParser();
    expect(p.feed('event: nothing\n\nid: a\0b\ndata: y\n\n')).toEqual([
      { event: 'message', data: 'y', lastEventId: '' },
    ]);
  });

  it('keeps an unfinished event until its blank line arrives', () => {
    const p = new EventStreamParser();
    expect(p.feed('data: half\n')).toEqual([]);
    expect(p.feed('\n')).toEqual([{ event: 'message', data: 'half', lastEventId: '' }]);
  });
});
