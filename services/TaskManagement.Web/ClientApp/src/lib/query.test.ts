import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY, hasFilters, queryFromSearch, searchFromQuery } from './query';

describe('dashboard query in the address bar', () => {
  it('round-trips filters', () => {
    const query = { status: 'completed', priority: 'high', q: 'milk', sort: 'title', page: 2 } as const;
    expect(queryFromSearch(searchFromQuery(query))).toEqual(query);
  });

  it('drops defaults and ignores junk', () => {
    expect(searchFromQuery(DEFAULT_QUERY)).toBe('');
    expect(queryFromSearch('?status=done&priority=urgent&sort=drop table&page=-3')).toEqual(DEFAULT_QUERY);
    expect(hasFilters(DEFAULT_QUERY)).toBe(false);
    expect(hasFilters({ ...DEFAULT_QUERY, q: 'x' })).toBe(true);
  });
});
