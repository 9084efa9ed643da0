import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { JsonObject } from '../store/object';
import { buildPodStatus, newContainerRecord, type PodRecord } from './pod-status';

const record = (): PodRecord => ({
  key: 'default/p',
  uid: 'u',
  sandboxId: 's',
  ip: '10.244.0.2',
  startTime: 0,
  init: [],
  containers: [newContainerRecord({ name: 'app', image: 'busybox' })],
  initDone: true,
  initFailed: false,
});

describe('buildPodStatus', () => {
  it("lists the conditions in the kubelet's order, others (readiness gates) first in their own order", () => {
    const old: JsonObject = {
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'True' },
        { type: 'example.com/gate-b', status: 'True' },
        { type: 'Ready', status: 'False' },
        { type: 'example.com/gate-a', status: 'False' },
      ],
    };
    const status = buildPodStatus({
      rec: record(),
      old,
      restartPolicy: 'Always',
      hostIP: '127.0.0.1',
      scheme: 'docker',
      now: 0,
    });
    assert.deepEqual(
      (status.conditions as JsonObject[]).map((c) => c.type),
      [
        'example.com/gate-b',
        'example.com/gate-a',
        'PodReadyToStartContainers',
        'Initialized',
        'Ready',
        'ContainersReady',
        'PodScheduled',
      ],
    );
  });
});
