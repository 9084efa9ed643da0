import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { container, errors, object, podSpec } from './test-manifests';

const pod = (spec: Record<string, unknown>) => object('v1', 'Pod', { spec });
const withContainer = (extra: Record<string, unknown>) => pod(podSpec({ containers: [container(extra)] }));

describe('pod spec rules', () => {
  it('accepts a plain pod', () => assert.deepEqual(errors(pod(podSpec())), []));

  const cases: [string, Record<string, unknown>, string[]][] = [
    ['containers required', pod({ containers: [] }), ['spec.containers: Required value']],
    [
      'container name format',
      withContainer({ name: 'Web' }),
      [
        `spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
      ],
    ],
    [
      'container names unique across lists',
      pod(podSpec({ initContainers: [container()] })),
      ['spec.containers[0].name: Duplicate value: "web"'],
    ],
    ['image required', withContainer({ image: ' ' }), ['spec.containers[0].image: Required value']],
    [
      'imagePullPolicy',
      withContainer({ imagePullPolicy: 'Sometimes' }),
      [
        'spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"',
      ],
    ],
    [
      'containerPort range',
      withContainer({ ports: [{ containerPort: 70000 }] }),
      ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'],
    ],
    [
      'hostPort range (0 allowed)',
      withContainer({
        ports: [
          { containerPort: 80, hostPort: -1 },
          { containerPort: 81, hostPort: 0 },
        ],
      }),
      ['spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive'],
    ],
    [
      'port name format',
      withContainer({ ports: [{ containerPort: 80, name: 'Http--x' }] }),
      [
        'spec.containers[0].ports[0].name: Invalid value: "Http--x": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'spec.containers[0].ports[0].name: Invalid value: "Http--x": must not contain consecutive hyphens (-)',
      ],
    ],
    [
      'port names unique in a container',
      withContainer({
        ports: [
          { containerPort: 80, name: 'http' },
          { containerPort: 81, name: 'http' },
        ],
      }),
      ['spec.containers[0].ports[1].name: Duplicate value: "http"'],
    ],
    [
      'protocol',
      withContainer({ ports: [{ containerPort: 80, protocol: 'HTTP' }] }),
      ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      'host ports unique in the pod',
      pod(
        podSpec({
          containers: [
            container({ ports: [{ containerPort: 80, hostPort: 8080 }] }),
            container({ name: 'b', ports: [{ containerPort: 81, hostPort: 8080 }] }),
          ],
        }),
      ),
      ['spec.containers[1].ports[0].hostPort: Duplicate value: "8080/TCP"'],
    ],
    [
      'probe needs a handler',
      withContainer({ livenessProbe: { periodSeconds: 5 } }),
      ['spec.containers[0].livenessProbe: Required value: must specify a handler type'],
    ],
    [
      'probe has one handler only',
      withContainer({ readinessProbe: { exec: { command: ['true'] }, tcpSocket: { port: 80 } } }),
      ['spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type'],
    ],
    [
      'probe ports: number range and name format',
      withContainer({ livenessProbe: { httpGet: { port: 0 } }, readinessProbe: { tcpSocket: { port: 'Web_Port' } } }),
      [
        'spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
        'spec.containers[0].readinessProbe.tcpSocket.port: Invalid value: "Web_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      ],
    ],
    [
      'liveness successThreshold is 1',
      withContainer({ livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 } }),
      ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
    ],
    [
      'probe timings not negative',
      withContainer({ readinessProbe: { exec: { command: ['true'] }, periodSeconds: -1 } }),
      ['spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0'],
    ],
    [
      'init containers have no probes (unless sidecars)',
      pod(
        podSpec({
          initContainers: [
            container({ name: 'init', livenessProbe: { exec: { command: ['true'] } } }),
            container({ name: 'side', restartPolicy: 'Always', livenessProbe: { exec: { command: ['true'] } } }),
          ],
        }),
      ),
      [
        'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      ],
    ],
    [
      'lifecycle hook needs a handler',
      withContainer({ lifecycle: { preStop: {} } }),
      ['spec.containers[0].lifecycle.preStop: Required value: must specify a handler type'],
    ],
    [
      'requests at most limits',
      withContainer({ resources: { requests: { cpu: '2', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } }),
      ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
    ],
    [
      'resources not negative',
      withContainer({ resources: { limits: { memory: '-1Gi' } } }),
      ['spec.containers[0].resources.limits[memory]: Invalid value: "-1Gi": must be greater than or equal to 0'],
    ],
    [
      'volume names: format and unique',
      pod(
        podSpec({
          volumes: [
            { name: 'a_b', emptyDir: {} },
            { name: 'c', emptyDir: {} },
            { name: 'c', emptyDir: {} },
          ],
        }),
      ),
      [
        `spec.volumes[0].name: Invalid value: "a_b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
        'spec.volumes[2].name: Duplicate value: "c"',
      ],
    ],
    [
      'volume mounts name a volume, at unique paths',
      pod(
        podSpec({
          volumes: [{ name: 'v', emptyDir: {} }],
          containers: [
            container({
              volumeMounts: [
                { name: 'v', mountPath: '/a' },
                { name: 'v', mountPath: '/a' },
                { name: 'w', mountPath: '/b' },
              ],
            }),
          ],
        }),
      ),
      [
        'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/a": must be unique',
        'spec.containers[0].volumeMounts[2].name: Not found: "w"',
      ],
    ],
    [
      'restartPolicy',
      pod(podSpec({ restartPolicy: 'Sometimes' })),
      ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
    ],
    [
      'activeDeadlineSeconds positive, grace period not negative',
      pod(podSpec({ activeDeadlineSeconds: 0, terminationGracePeriodSeconds: -1 })),
      [
        'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive',
        'spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0',
      ],
    ],
    [
      'an ephemeral container has no ports, probes or resources, and targets a container of the pod',
      pod(
        podSpec({
          ephemeralContainers: [
            {
              name: 'debugger',
              image: 'busybox',
              targetContainerName: 'nope',
              ports: [{ containerPort: 80 }],
              readinessProbe: { exec: { command: ['true'] } },
              resources: { limits: { cpu: '1' } },
            },
            { name: 'quiet', image: 'busybox', targetContainerName: 'web', resources: {} },
          ],
        }),
      ),
      [
        'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container',
        'spec.ephemeralContainers[0].targetContainerName: Not found: "nope"',
      ],
    ],
    [
      'an ephemeral container name is unique in the pod',
      pod(podSpec({ ephemeralContainers: [{ name: 'web', image: 'busybox' }] })),
      ['spec.ephemeralContainers[0].name: Duplicate value: "web"'],
    ],
  ];
  for (const [name, manifest, expected] of cases) it(name, () => assert.deepEqual(errors(manifest), expected));
});
