/**
 * A StatefulSet pod's claims: made from the set's volumeClaimTemplates before
 * the pod (`<template>-<pod>`), never remade while one is still being deleted,
 * and given the owner references the retention policy asks for.
 */
import type { AdmittedWriter } from '../api/admitted-writer';
import type { Informer } from '../machinery/informer';
import { StatusError } from '../store/errors';
import { clone, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { ObjectStore, Stored } from '../store/object-store';
import { CLAIMS } from '../store/storage-class';
import type { Recorder } from '../machinery/event-recorder';
import { claimName, claimOwners, claimTemplates, statefulClaim } from './stateful-set-pods';

export interface ClaimsOptions {
  store: ObjectStore;
  writer: AdmittedWriter;
  claims: Informer;
  record: Recorder;
}

export class StatefulSetClaims {
  constructor(private readonly o: ClaimsOptions) {}

  /**
   * Creates pod `pod`'s missing claims (not for a pod being scaled away) and
   * sets their owners; 'wait' while one of them is still being deleted.
   */
  async ensure(set: Stored, pod: string, live: Stored | undefined, condemned = false): Promise<'ready' | 'wait'> {
    const namespace = set.metadata.namespace ?? 'default';
    let result: 'ready' | 'wait' = 'ready';
    for (const template of claimTemplates(set)) {
      const name = claimName(template, pod);
      const claim = this.o.claims.get(namespace, name) ?? this.o.store.get(CLAIMS, namespace, name);
      if (claim?.metadata.deletionTimestamp) {
        result = 'wait';
        continue;
      }
      if (!claim) {
        if (!condemned) await this.create(set, template, pod, live);
        continue;
      }
      const owners = claimOwners(claim, set, pod, live, condemned);
      if (jsonEqual(owners, claim.metadata.ownerReferences ?? [])) continue;
      const next = clone(claim) as KubeObject;
      if (owners.length > 0) next.metadata.ownerReferences = owners;
      else delete next.metadata.ownerReferences;
      await this.o.writer.update(CLAIMS, next).catch(ignore('NotFound'));
    }
    return result;
  }

  private async create(set: Stored, template: JsonObject, pod: string, live: Stored | undefined): Promise<void> {
    const claim = statefulClaim(set, template, pod);
    const owners = claimOwners(claim, set, pod, live, false);
    if (owners.length > 0) claim.metadata.ownerReferences = owners;
    const name = claim.metadata.name ?? '';
    try {
      await this.o.writer.create(CLAIMS, claim);
    } catch (error) {
      ignore('AlreadyExists')(error);
      return;
    }
    this.o.record(
      set,
      'Normal',
      'SuccessfulCreate',
      `create Claim ${name} Pod ${pod} in StatefulSet ${set.metadata.name ?? ''} success`,
    );
  }
}

/** Rethrows anything but a Status error of `reason` (the next sync reads the newer state). */
export function ignore(reason: string): (error: unknown) => void {
  return (error) => {
    if (!(error instanceof StatusError) || error.reason !== reason) throw error;
  };
}
