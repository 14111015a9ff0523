import { describe, expect, it } from 'vitest';
import { etagFor, listQuery, taskFrom } from './tasks';

describe('task list query', () => {
  it('sends only the filters in use, with paging as limit/offset', () => {
    const params = listQuery({ status: 'in_progress', priority: null, q: '  milk ', sort: '-priority', page: 3 }, 10);
    expect(params.toString()).toBe('status=in_progress&q=milk&sort=-priority&limit=10&offset=20');
  });

  it('starts at offset 0', () => {
    expect(listQuery({ status: null, priority: 'high', q: '', sort: '-created', page: 1 }, 20).toString()).toBe(
      'priority=high&sort=-created&limit=20&offset=0',
    );
  });
});

describe('task responses', () => {
  const task = { id: 'b7c1', title: 'x', version: 3 };

  it('accepts the task itself or wrapped in {task}', () => {
    expect(taskFrom(task)).toEqual(task);
    expect(taskFrom({ message: 'Task created', taskId: 'b7c1', task })).toEqual(task);
    expect(taskFrom({ message: 'ok' })).toBeNull();
    expect(taskFrom(null)).toBeNull();
  });

  it('uses the version as the ETag', () => {
    expect(etagFor({ version: 7 })).toBe('"7"');
  });
});
