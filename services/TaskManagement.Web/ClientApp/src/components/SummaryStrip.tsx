import type { TaskSummary } from '../api/types';
import { percent } from '../lib/format';

/** Counts from GET /api/tasks/summary, for all of the user's tasks (not just the current page). */
export function SummaryStrip({ summary }: { summary: TaskSummary | null }) {
  const items: [string, string, string][] = summary
    ? [
        ['total', 'Total', String(summary.total)],
        ['pending', 'Pending', String(summary.byStatus.pending ?? 0)],
        ['in_progress', 'In progress', String(summary.byStatus.in_progress ?? 0)],
        ['completed', 'Completed', String(summary.byStatus.completed ?? 0)],
        ['high', 'High priority', String(summary.byPriority.high ?? 0)],
        ['rate', 'Completion rate', percent(summary.completionRate)],
      ]
    : [];
  return (
    <section className="summary" aria-labelledby="summary-heading" aria-busy={summary === null}>
      <h2 id="summary-heading" className="visually-hidden">
        Summary
      </h2>
      <dl className="summary-list">
        {summary === null ? (
          <div className="summary-item summary-loading">
            <dt>Summary</dt>
            <dd>Loading…</dd>
          </div>
        ) : (
          items.map(([key, label, value]) => (
            <div key={key} className={`summary-item summary-${key}`} data-summary={key}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))
        )}
      </dl>
      {summary && summary.overdue > 0 ? (
        <p className="summary-overdue">
          {summary.overdue} overdue task{summary.overdue === 1 ? '' : 's'}
        </p>
      ) : null}
    </section>
  );
}
