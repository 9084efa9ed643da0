import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { errors, podSpec, template, workload } from './test-manifests';

const ALL = ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'];

describe('workload rules (apps/v1)', () => {
  it('accepts each kind plain', () => {
    for (const kind of ALL) assert.deepEqual(errors(workload(kind)), [], kind);
  });

  it('allows only restartPolicy Always in the template, and no activeDeadlineSeconds', () => {
    for (const kind of ALL) {
      const o = workload(kind, { template: template(podSpec({ restartPolicy: 'Never', activeDeadlineSeconds: 5 })) });
      const named = kind === 'Deployment' ? 'ReplicaSet' : kind;
      assert.deepEqual(
        errors(o),
        [
          'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
          `spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ${named} is not Supported`,
        ],
        kind,
      );
    }
  });

  it('requires a selector that is not empty and selects the template', () => {
    const { selector: _s, ...noSelector } = workload('Deployment').spec as Record<string, unknown>;
    assert.deepEqual(errors({ ...workload('Deployment'), spec: noSelector }), ['spec.selector: Required value']);
    assert.deepEqual(errors(workload('StatefulSet', { selector: {} })), [
      'spec.selector: Invalid value: {}: empty selector is invalid for statefulset',
    ]);
    assert.deepEqual(errors(workload('DaemonSet', { template: template(podSpec(), { app: 'api' }) })), [
      'spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`',
    ]);
  });

  it('checks selector expressions', () => {
    const selector = {
      matchExpressions: [
        { key: 'app', operator: 'In', values: [] },
        { key: 'x', operator: 'Exists', values: ['a'] },
        { key: 'y', operator: 'Like' },
      ],
    };
    assert.deepEqual(errors(workload('ReplicaSet', { selector })), [
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Like": not a valid selector operator',
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
  });

  it('checks counts that may not be negative and the progress deadline', () => {
    assert.deepEqual(
      errors(workload('Deployment', { replicas: -1, minReadySeconds: 10, progressDeadlineSeconds: 10 })),
      [
        'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
        'spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds',
      ],
    );
  });

  it("checks a Deployment's strategy", () => {
    assert.deepEqual(errors(workload('Deployment', { strategy: { type: 'Recreate', rollingUpdate: {} } })), [
      "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]);
    assert.deepEqual(
      errors(workload('Deployment', { strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } })),
      ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    );
    assert.deepEqual(
      errors(workload('Deployment', { strategy: { rollingUpdate: { maxSurge: '150%', maxUnavailable: 'half' } } })),
      [
        `spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "half": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')`,
        'spec.strategy.rollingUpdate.maxSurge: Invalid value: "150%": must not be greater than 100%',
      ],
    );
    assert.deepEqual(errors(workload('Deployment', { strategy: { type: 'BlueGreen' } })), [
      'spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"',
    ]);
  });

  it("checks a StatefulSet's policies, and its claim templates count as volumes", () => {
    const mounts = template(
      podSpec({ containers: [{ name: 'db', image: 'db:1', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] }),
    );
    assert.deepEqual(
      errors(
        workload('StatefulSet', {
          template: mounts,
          volumeClaimTemplates: [{ metadata: { name: 'data' } }],
          podManagementPolicy: 'Random',
          updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } },
          persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Keep' },
        }),
      ),
      [
        'spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel"',
        `spec.updateStrategy.rollingUpdate: Invalid value: {"partition":1}: only allowed for updateStrategy 'RollingUpdate'`,
        'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": supported values: "Delete", "Retain"',
      ],
    );
  });

  it("checks a DaemonSet's update strategy", () => {
    assert.deepEqual(errors(workload('DaemonSet', { updateStrategy: { type: 'Recreate' } })), [
      'spec.updateStrategy.type: Unsupported value: "Recreate": supported values: "OnDelete", "RollingUpdate"',
    ]);
  });

  it('on update: the selector is immutable; a StatefulSet changes only its mutable fields', () => {
    const old = workload('Deployment');
    const changed = workload('Deployment', {
      selector: { matchLabels: { app: 'web', tier: 'x' } },
      template: template(podSpec(), { app: 'web', tier: 'x' }),
    });
    assert.deepEqual(errors(changed, { operation: 'UPDATE', old }), [
      'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable',
    ]);
    const set = workload('StatefulSet', { serviceName: 'a' });
    assert.deepEqual(
      errors(workload('StatefulSet', { serviceName: 'b', replicas: 3 }), { operation: 'UPDATE', old: set }),
      [
        "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ],
    );
    assert.deepEqual(
      errors(workload('StatefulSet', { serviceName: 'a', replicas: 3 }), { operation: 'UPDATE', old: set }),
      [],
    );
  });

  it('ReplicationController: a map selector that selects the template', () => {
    const rc = workload('ReplicationController', { selector: { app: 'api' } }, 'v1');
    assert.deepEqual(errors(rc), [
      'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]);
    assert.deepEqual(errors(workload('ReplicationController', { selector: {} }, 'v1')), []);
  });
});
