import type { JsonObject } from './json';

/**
 * What a validator knows beyond the object. The editor validates a file as a
 * create; the cluster passes the stored object on an update, which turns on
 * the immutable-field rules.
 */
export interface ValidationContext {
  readonly operation: 'CREATE' | 'UPDATE';
  /** The stored object an update replaces. */
  readonly old?: JsonObject | undefined;
  /** The subresource written through (`ephemeralcontainers` may change what a plain update may not). */
  readonly subresource?: string | undefined;
}

export const CREATE: ValidationContext = { operation: 'CREATE' };
