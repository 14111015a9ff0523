import { useEffect, useState } from 'react';
import { PRIORITY_LABELS, STATUS_LABELS, type TaskQuery, type TaskSort } from '../api/types';
import type { SetTaskQuery } from '../hooks/useTaskQuery';
import { hasFilters } from '../lib/query';
import { SelectField } from './common';

const SORT_LABELS: Record<TaskSort, string> = {
  '-created': 'Newest first',
  created: 'Oldest first',
  '-priority': 'Priority: high to low',
  priority: 'Priority: low to high',
  due: 'Due date: soonest first',
  '-due': 'Due date: latest first',
  '-updated': 'Recently updated',
  title: 'Title: A to Z',
};

/** The "any or one of" filters, by the query member each sets. */
const choices = [
  { key: 'status', label: 'Status', labels: STATUS_LABELS, any: 'All statuses' },
  { key: 'priority', label: 'Priority', labels: PRIORITY_LABELS, any: 'All priorities' },
] as const;

/** Search, status, priority and sort; the search box filters as you type, a moment after you stop. */
export function TaskFilters({ query, setQuery }: { query: TaskQuery; setQuery: SetTaskQuery }) {
  const [searchText, setSearchText] = useState(query.q);
  useEffect(() => {
    if (searchText.trim() === query.q.trim()) return;
    const timer = setTimeout(() => setQuery({ q: searchText }, true), 300);
    return () => clearTimeout(timer);
  }, [searchText, query.q, setQuery]);
  useEffect(() => setSearchText(query.q), [query.q]);

  // A filter chosen while the search is still waiting takes the typed text along.
  const choose = (patch: Partial<TaskQuery>) => setQuery({ q: searchText, ...patch });

  return (
    <form role="search" aria-label="Filter tasks" className="filters" onSubmit={(e) => e.preventDefault()}>
      <div className="field field-search">
        <label htmlFor="filter-q">Search</label>
        <input id="filter-q" type="search" value={searchText} maxLength={200} placeholder="Title or description" onChange={(e) => setSearchText(e.target.value)} />
      </div>
      {choices.map(({ key, label, labels, any }) => (
        <SelectField<string>
          key={key}
          id={`filter-${key}`}
          label={label}
          value={query[key] ?? ''}
          labels={labels}
          any={any}
          onValueChange={(value) => choose({ [key]: value || null })}
        />
      ))}
      <SelectField id="filter-sort" label="Sort by" value={query.sort} labels={SORT_LABELS} onValueChange={(sort) => choose({ sort: sort || query.sort, page: query.page })} />
      {hasFilters({ ...query, q: searchText }) ? (
        <button type="button" className="button button-link filters-clear" onClick={() => setQuery({ status: null, priority: null, q: '' })}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
