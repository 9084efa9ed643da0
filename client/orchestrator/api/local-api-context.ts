/** The ApiContext of writers inside the orchestrator process: the served registry with the standard admission chain. */
import type { Clock } from '../clock';
import type { ObjectStore } from '../store/object-store';
import { chain, type Admission } from './admission/admission';
import { defaultTolerationSecondsAdmission } from './admission/default-toleration-seconds';
import { defaultsAdmission } from './admission/defaults';
import { validationAdmission } from './admission/validation';
import type { ApiContext } from './api-context';
import { Registry } from './registry';

export interface AdmissionOptions {
  /** DefaultTolerationSeconds' not-ready/unreachable tolerations (300 s, as Kubernetes). */
  defaultTolerationSeconds?: number;
}

/** Defaults, DefaultTolerationSeconds, validation: what every write passes, over HTTP or in process. */
export function standardAdmission(o: AdmissionOptions = {}): Admission {
  return chain(defaultsAdmission, defaultTolerationSecondsAdmission(o.defaultTolerationSeconds), validationAdmission);
}

export function localApiContext(
  store: ObjectStore,
  clock: Clock,
  registry = new Registry(),
  admission: Admission = standardAdmission(),
): ApiContext {
  return { store, clock, registry, admission };
}
