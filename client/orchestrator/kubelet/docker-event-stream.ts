/** The engine's event stream (`GET /events`: one JSON object per line) read into EngineEvents. */
import type { EngineEvent } from './docker-engine-types';

/**
 * Calls `onEvent` for every event on `stream` and `onEnd` once when it ends,
 * fails or closes; returns the function that stops reading (without `onEnd`).
 */
export function readEngineEvents(
  stream: NodeJS.ReadableStream & { destroy(): void },
  onEvent: (event: EngineEvent) => void,
  onEnd: () => void,
): () => void {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        const e = JSON.parse(line) as {
          Type?: string;
          Action?: string;
          Actor?: { ID?: string; Attributes?: Record<string, string> };
        };
        onEvent({
          type: e.Type ?? '',
          action: e.Action ?? '',
          id: e.Actor?.ID ?? '',
          labels: e.Actor?.Attributes ?? {},
        });
      } catch {
        // a partial or foreign line: ignore
      }
    }
  });
  let ended = false;
  const end = () => {
    if (!ended) {
      ended = true;
      onEnd();
    }
  };
  stream.on('end', end);
  stream.on('error', end);
  stream.on('close', end);
  return () => {
    ended = true;
    stream.destroy();
  };
}
