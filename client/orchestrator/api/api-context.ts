/** What every handler gets: the store, time, the registry, admission, and the request at hand. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubernetesSchemas } from '../../../server/kube-model/schema-loader';
import type { Clock } from '../clock';
import { StatusError } from '../store/errors';
import type { ObjectStore } from '../store/object-store';
import { dryRunOf, optionsKindOf } from './dry-run';
import type { PodIo } from './pod-io';
import type { MetricsHub } from './metrics/metrics-source';
import type { Admission, FieldValidation } from './admission/admission';
import type { Registry, ResourceDef } from './registry';
import type { ResourceRequest } from './request-info';

export interface ApiContext {
  store: ObjectStore;
  clock: Clock;
  registry: Registry;
  admission: Admission;
  /** Resource usage and request counts for the metrics APIs, when kubelets and proxies run beside the API server. */
  metrics?: MetricsHub;
  /** Container logs and exec, when kubelets run beside the API server. */
  pods?: PodIo;
  /**
   * The schemas of the Kubernetes version the cluster serves, from the loader
   * the language server uses; unset: the default version's (none when there are no schemas).
   */
  schemas?: KubernetesSchemas;
  /**
   * In-process writers (AdmittedWriter) await this after each write when it returns a promise: the control
   * plane sets machinery/io-turn.ts's `turnIfDue`, so a reconcile resuming after its write takes its turn
   * with the other workers instead of running on with hundreds of others the same log flush resumed.
   */
  pace?: () => Promise<void> | undefined;
}

export interface Call {
  ctx: ApiContext;
  req: IncomingMessage;
  res: ServerResponse;
  info: ResourceRequest;
  def: ResourceDef;
  query: URLSearchParams;
  /** Warnings to send in `Warning` headers. */
  warnings: string[];
}

export function fieldValidation(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation');
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw new StatusError('BadRequest', `fieldValidation parameter unsupported: ${value}`);
}

/** The field manager of a write: the `fieldManager` parameter or the client's name. */
export function fieldManager(call: Call): string {
  const explicit = call.query.get('fieldManager');
  if (explicit) return explicit;
  const agent = call.req.headers['user-agent'] ?? 'unknown';
  return agent.split('/')[0] || 'unknown';
}

/** Whether the call is a dry run (`dryRun=All`); any other `dryRun` value is a 422. `fromBody`: a DeleteOptions' `dryRun`. */
export function isDryRun(call: Call, fromBody?: unknown): boolean {
  return dryRunOf(call.query, optionsKindOf(call.req.method), fromBody);
}
