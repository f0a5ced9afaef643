import { useEffect, useState } from 'react';
import {
  offlineQueue,
  type OfflineQueue,
  type QueuedItem,
  type QueueView,
} from './offline-queue.js';

// The queue's React hooks, without a UI kit: the phone app's queue bar (web/mobile/QueueBar.tsx)
// and its flows read the queue through them.

/** Online/offline as the browser sees it, updated on the window events. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

const EMPTY: QueueView = { mine: [], others: [] };

/** The queue as the signed-in person sees it (their items, other accounts'), live. */
export function useQueueView(queue: OfflineQueue = offlineQueue()): QueueView {
  const [view, setView] = useState<QueueView>(EMPTY);
  useEffect(() => queue.subscribe(setView), [queue]);
  return view;
}

/** The signed-in person's queued submissions, live (other accounts' are not theirs to see). */
export function useQueuedItems(queue: OfflineQueue = offlineQueue()): QueuedItem[] {
  return useQueueView(queue).mine;
}
