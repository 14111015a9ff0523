import { QueryClient } from '@tanstack/react-query';

/**
 * Server state for the app. No automatic retries or refetch on focus (a failure is shown at once and
 * the user decides to try again), and requests go out even when the browser thinks it is offline,
 * so the user sees "Cannot reach the server" instead of a request that waits silently.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, networkMode: 'always' },
      mutations: { networkMode: 'always' },
    },
  });
}
