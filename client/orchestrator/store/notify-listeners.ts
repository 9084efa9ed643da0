/** Handing a committed write's event to the store's watchers. */
import type { StoreEvent } from './event-history';

export type StoreListener = (event: StoreEvent) => void;

/** Calls each listener of `set` (as it was before the first call) with `event`; one that throws does not stop the others. */
export function notifyListeners(set: Set<StoreListener> | undefined, event: StoreEvent): void {
  if (set === undefined || set.size === 0) return;
  if (set.size === 1) {
    // The only one, without a copy of the set; one it subscribes meanwhile is not called for this event.
    for (const listener of set) {
      callListener(listener, event);
      break;
    }
    return;
  }
  for (const listener of [...set]) callListener(listener, event);
}

function callListener(listener: StoreListener, event: StoreEvent): void {
  try {
    listener(event);
  } catch (error) {
    process.stderr.write(`kube-workbench: watcher failed: ${String(error)}\n`);
  }
}
