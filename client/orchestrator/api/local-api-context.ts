/** The ApiContext of writers inside the orchestrator process: the served registry with the standard admission chain. */
import type { Clock } from '../clock';
import type { ObjectStore } from '../store/object-store';
import { chain } from './admission/admission';
import { defaultsAdmission } from './admission/defaults';
import { validationAdmission } from './admission/validation';
import type { ApiContext } from './api-context';
import { Registry } from './registry';

export function localApiContext(store: ObjectStore, clock: Clock, registry = new Registry()): ApiContext {
  return { store, clock, registry, admission: chain(defaultsAdmission, validationAdmission) };
}
