/**
 * What dev mode says it did, as typed events, and the one line each reads as
 * (the status bar and `run --watch` print the same words).
 */
/** A fault at a line of a workspace file (a failed build's Dockerfile step), for the Problems panel. */
export interface FileProblem {
  file: string;
  /** 1-based. */
  line: number;
  message: string;
}

export type DevEvent =
  | { type: 'watching'; images: string[]; folders: number }
  | { type: 'synced'; image: string; files: number; pods: number; ms: number }
  | { type: 'sync-failed'; image: string; message: string }
  | { type: 'no-pods'; image: string; files: number }
  | { type: 'building'; images: string[]; first: boolean }
  | { type: 'built'; image: string; tag: string; seconds: number; cached: boolean; first: boolean }
  | { type: 'progress'; message: string }
  | { type: 'rolled-out'; images: string[]; ms: number }
  | { type: 'deploy-failed'; images: string[]; message: string; problems?: FileProblem[] }
  | { type: 'problem'; message: string }
  | { type: 'stopped' };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The line for an event; undefined for progress lines a caller may leave out. */
export function devEventText(event: DevEvent): string {
  switch (event.type) {
    case 'watching':
      return `watching ${plural(event.folders, 'folder')} for changes to ${event.images.join(', ') || 'the manifests'}`;
    case 'synced':
      return `synced ${plural(event.files, 'file')} to ${plural(event.pods, 'pod')} in ${event.ms} ms`;
    case 'sync-failed':
      return `sync of ${event.image} failed: ${event.message}`;
    case 'no-pods':
      return `no running pod of ${event.image} to sync ${plural(event.files, 'file')} into`;
    case 'building':
      return `${event.first ? 'building' : 'rebuilding'} ${event.images.join(', ')}`;
    case 'built':
      if (event.cached) return `${event.image} is up to date (${event.tag}), applying`;
      return `${event.first ? 'built' : 'rebuilt'} ${event.image} in ${event.seconds.toFixed(1)} s, rolling out`;
    case 'progress':
      return event.message;
    case 'rolled-out':
      return event.images.length === 0
        ? `re-applied the manifests in ${(event.ms / 1000).toFixed(1)} s`
        : `rolled out ${event.images.join(', ')} in ${(event.ms / 1000).toFixed(1)} s`;
    case 'deploy-failed':
      return `${event.images.length > 0 ? 'rebuild' : 're-apply'} failed: ${event.message}`;
    case 'problem':
      return `warning: ${event.message}`;
    case 'stopped':
      return 'dev mode stopped (the workloads keep running)';
  }
}
