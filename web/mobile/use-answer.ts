import { useEffect, useState } from 'react';
import { get } from '../shared/api.js';
import { useOnline } from '../shared/use-offline-queue.js';

export interface Answer<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
}

/**
 * GET `url` (null: not asked, e.g. without the permission), and again when the phone goes online
 * or offline (offline, the service worker answers from its cache when it can); an answer that
 * arrives after the component moved on to another url, or unmounted, is dropped.
 */
export function useAnswer<T>(url: string | null): Answer<T> {
  const online = useOnline();
  const [state, setState] = useState<Answer<T>>({ data: null, error: null, loading: !!url });
  useEffect(() => {
    if (!url) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    let live = true;
    // A refetch keeps what is shown until the answer comes; an offline failure keeps it too.
    setState((s) => ({ ...s, loading: s.data === null }));
    get<T>(url).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        live && setState((s) => ({ data: s.data, error: s.data ? null : error, loading: false })),
    );
    return () => {
      live = false;
    };
  }, [url, online]);
  return state;
}
