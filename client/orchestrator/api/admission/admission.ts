/**
 * The seam between the HTTP handlers and the store: every create and update
 * passes `default` (fill in what Kubernetes fills in) and then `validate`
 * (a bad object is rejected whole, with causes). Schema validation against
 * the generated JSON Schemas plugs in here later, as one more Admission.
 */
import type { StatusCause } from '../../store/errors';
import type { KubeObject } from '../../store/object';
import type { ObjectStore, Stored } from '../../store/object-store';
import type { ResourceDef } from '../registry';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface AdmissionContext {
  operation: 'CREATE' | 'UPDATE';
  def: ResourceDef;
  /** The stored object an update replaces. */
  old?: Stored;
  /** The subresource written through, if any (`ephemeralcontainers`, `scale`). */
  subresource?: string;
  store: ObjectStore;
  fieldValidation: FieldValidation;
  /** Warnings to send back (the `Warning` header), e.g. unknown fields under `Warn`. */
  warnings: string[];
}

export interface Admission {
  /** Fills in defaults and allocations in place. */
  default(object: KubeObject, context: AdmissionContext): void;
  /** Everything wrong with the object; empty when it may be stored. */
  validate(object: KubeObject, context: AdmissionContext): StatusCause[];
}

/** Runs several admissions in order: all defaults first, then all validations. */
export function chain(...parts: Admission[]): Admission {
  return {
    default(object, context) {
      for (const p of parts) p.default(object, context);
    },
    validate(object, context) {
      return parts.flatMap((p) => p.validate(object, context));
    },
  };
}
