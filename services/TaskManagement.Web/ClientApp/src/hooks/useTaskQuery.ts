import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { TaskQuery } from '../api/types';
import { queryFromSearch, searchFromQuery } from '../lib/query';

export type SetTaskQuery = (patch: Partial<TaskQuery>, replace?: boolean) => void;

/** The dashboard's filters, sort and page, kept in the address bar; any change goes back to page 1 unless it says otherwise. */
export function useTaskQuery(): [TaskQuery, SetTaskQuery] {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const query = useMemo(() => queryFromSearch(search), [search]);
  const setQuery = useCallback<SetTaskQuery>(
    (patch, replace = false) => setParams(new URLSearchParams(searchFromQuery({ ...query, page: 1, ...patch })), { replace }),
    [query, setParams],
  );
  return [query, setQuery];
}
