/** Small valid manifests for the validation tests, and the lines a validation gives (`field: message`). */
import type { ValidationContext } from './context';
import { errorText } from './field-error';
import type { JsonObject } from './json';
import { validateObject } from './validate-object';

export const container = (extra: JsonObject = {}): JsonObject => ({ name: 'web', image: 'nginx:1.27', ...extra });

export const podSpec = (extra: JsonObject = {}): JsonObject => ({ containers: [container()], ...extra });

export const template = (spec: JsonObject = podSpec(), labels: JsonObject = { app: 'web' }): JsonObject => ({
  metadata: { labels },
  spec,
});

export function workload(kind: string, spec: JsonObject = {}, apiVersion = 'apps/v1'): JsonObject {
  return {
    apiVersion,
    kind,
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...spec },
  };
}

export const object = (apiVersion: string, kind: string, rest: JsonObject): JsonObject => ({
  apiVersion,
  kind,
  metadata: { name: 'x' },
  ...rest,
});

/** Every error as kubectl prints a cause. */
export const errors = (o: JsonObject, context: ValidationContext = { operation: 'CREATE' }): string[] =>
  validateObject(o, context).map(errorText);
