import { describe, expect, it } from 'vitest';
import { task } from '../testing/fakeApi';
import { inputFrom } from '../components/TaskDialog';
import { withNotice, type Editor } from './DashboardPage';

const milk = task('t-milk', 'Buy milk', 3);
const editing: Editor = { mode: 'edit', task: milk, input: inputFrom(milk) };

describe('withNotice', () => {
  it('warns the open form when its task was changed elsewhere', () => {
    expect(withNotice(editing, { kind: 'updated', task: { ...milk, version: 4 } })).toMatchObject({ notice: expect.stringContaining('This task was changed elsewhere') });
    expect(withNotice(editing, { kind: 'completed', task: { ...milk, version: 4 } })?.mode).toBe('edit');
  });

  it('warns that the task was deleted elsewhere', () => {
    expect(withNotice(editing, { kind: 'deleted', task: milk })).toMatchObject({ notice: expect.stringContaining('deleted elsewhere') });
  });

  it('says nothing for the version the form holds, another task, or no edit form', () => {
    expect(withNotice(editing, { kind: 'updated', task: milk })).toBe(editing);
    expect(withNotice(editing, { kind: 'deleted', task: task('t-other', 'Other', 9) })).toBe(editing);
    expect(withNotice(null, { kind: 'deleted', task: milk })).toBeNull();
    const creating: Editor = { mode: 'create', input: inputFrom(milk) };
    expect(withNotice(creating, { kind: 'updated', task: { ...milk, version: 4 } })).toBe(creating);
  });
});
