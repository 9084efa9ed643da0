import type { Connection, Disposable } from 'vscode-languageserver';

type Handler = (params: never) => void;
type Register = (handler: Handler) => Disposable;

/** Notifications that more than one handler module listens to. */
const SHARED = ['onInitialized', 'onDidChangeWatchedFiles', 'onDidChangeConfiguration'] as const;

/**
 * vscode-languageserver keeps one handler per notification: a second
 * `connection.onInitialized(...)` silently replaces the first. Several handler
 * modules need the same notifications (settings and both workspace scans at
 * start, CRDs and the index on file events), so after this call every
 * registration is kept and called in the order it was made.
 */
export function fanOutNotifications(connection: Connection): void {
  for (const method of SHARED) {
    const original = (connection[method] as Register).bind(connection);
    const handlers: Handler[] = [];
    const shared: Register = (handler) => {
      if (handlers.length === 0) {
        original((params: never) => {
          for (const h of [...handlers]) {
            try {
              h(params);
            } catch (error) {
              // One module's failure must not keep the notification from the others.
              console.error(`kube-workbench: ${method} handler failed: ${String(error)}`);
            }
          }
        });
      }
      handlers.push(handler);
      return {
        dispose: () => {
          const at = handlers.indexOf(handler);
          if (at >= 0) handlers.splice(at, 1);
        },
      };
    };
    (connection as unknown as Record<string, Register>)[method] = shared;
  }
}
