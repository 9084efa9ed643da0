import type { Labels } from './indexed-resource.js';

/** Whether a Service-style selector (a plain map, all pairs required) selects these labels. */
export function selects(selector: Labels, labels: Labels): boolean {
  for (const key in selector) if (labels[key] !== selector[key]) return false;
  return true;
}

/** `app=web, tier=api` for messages. */
export function formatLabels(labels: Labels): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}
