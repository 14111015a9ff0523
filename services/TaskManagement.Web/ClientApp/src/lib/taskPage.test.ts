import { describe, expect, it } from 'vitest';
import { task } from '../testing/fakeApi';
import { withChange, withRestored } from './taskPage';

const a = task('a', 'A');
const b = task('b', 'B');
const c = task('c', 'C');
const page = { total: 13, tasks: [a, b, c] };

describe('optimistic changes to a list page', () => {
  it('replaces one task, or drops it and counts one fewer', () => {
    const done = { ...b, status: 'completed' as const };
    expect(withChange(page, 'b', done)).toEqual({ total: 13, tasks: [a, done, c] });
    expect(withChange(page, 'b', null)).toEqual({ total: 12, tasks: [a, c] });
  });

  it('puts a task back where it was, keeping the other changes', () => {
    const cDone = { ...c, status: 'completed' as const };
    const afterTwoChanges = withChange(withChange(page, 'b', null), 'c', cDone);
    expect(withRestored(afterTwoChanges, b, 1, true)).toEqual({ total: 13, tasks: [a, b, cDone] });
    expect(withRestored(withChange(page, 'a', { ...a, title: 'A!' }), a, 0, false)).toEqual(page);
  });

  it('puts a task whose place is unknown or gone at the end', () => {
    expect(withRestored({ total: 1, tasks: [a] }, b, -1, true).tasks).toEqual([a, b]);
    expect(withRestored({ total: 1, tasks: [a] }, b, 5, true).tasks).toEqual([a, b]);
  });
});
