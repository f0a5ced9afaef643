import { useEffect, useState } from 'react';
import { offlineQueue, type OfflineQueue, type QueuedItem } from './offline-queue.js';

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

/** The queued submissions of this phone, live. */
export function useQueuedItems(queue: OfflineQueue = offlineQueue()): QueuedItem[] {
  const [items, setItems] = useState<QueuedItem[]>([]);
  useEffect(() => queue.subscribe(setItems), [queue]);
  return items;
}
