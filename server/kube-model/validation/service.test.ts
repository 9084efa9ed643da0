import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { errors, object } from './test-manifests';

const service = (spec: Record<string, unknown>) => object('v1', 'Service', { spec });

describe('Service rules', () => {
  it('accepts a plain Service, a headless one without ports and an ExternalName', () => {
    assert.deepEqual(errors(service({ ports: [{ port: 80, targetPort: 'http' }] })), []);
    assert.deepEqual(errors(service({ clusterIP: 'None' })), []);
    assert.deepEqual(errors(service({ type: 'ExternalName', externalName: 'db.example.com' })), []);
  });
  const cases: [string, Record<string, unknown>, string[]][] = [
    [
      'type',
      { type: 'Internal', ports: [{ port: 80 }] },
      [
        'spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
    ],
    ['ports required', {}, ['spec.ports: Required value']],
    [
      'port range',
      { ports: [{ port: 0 }] },
      ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'],
    ],
    [
      'names required with several ports',
      { ports: [{ port: 80, name: 'http' }, { port: 443 }] },
      ['spec.ports[1].name: Required value'],
    ],
    [
      'port names unique',
      {
        ports: [
          { port: 80, name: 'http' },
          { port: 81, name: 'http' },
        ],
      },
      ['spec.ports[1].name: Duplicate value: "http"'],
    ],
    [
      'port+protocol unique',
      {
        ports: [
          { port: 80, name: 'a' },
          { port: 80, name: 'b' },
          { port: 80, name: 'c', protocol: 'UDP' },
        ],
      },
      [
        'spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
      ],
    ],
    [
      'protocol',
      { ports: [{ port: 80, protocol: 'tcp' }] },
      ['spec.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'],
    ],
    [
      'targetPort: number or name',
      {
        ports: [
          { port: 80, name: 'a', targetPort: 70000 },
          { port: 81, name: 'b', targetPort: 'Http_Port' },
        ],
      },
      [
        'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
        'spec.ports[1].targetPort: Invalid value: "Http_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      ],
    ],
    [
      'nodePort range',
      { type: 'NodePort', ports: [{ port: 80, nodePort: 8080 }] },
      [
        'spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767',
      ],
    ],
    [
      'nodePort only with NodePort or LoadBalancer',
      { ports: [{ port: 80, nodePort: 30080 }] },
      ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ],
    [
      'nodePorts unique',
      {
        type: 'NodePort',
        ports: [
          { port: 80, name: 'a', nodePort: 30080 },
          { port: 81, name: 'b', nodePort: 30080 },
        ],
      },
      ['spec.ports[1].nodePort: Duplicate value: 30080'],
    ],
    [
      'clusterIP None with NodePort',
      { type: 'NodePort', clusterIP: 'None', ports: [{ port: 80 }] },
      ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services'],
    ],
    ['externalName required', { type: 'ExternalName' }, ['spec.externalName: Required value']],
    [
      'sessionAffinity',
      { ports: [{ port: 80 }], sessionAffinity: 'Sticky' },
      ['spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"'],
    ],
    [
      'externalTrafficPolicy only for node ports',
      { ports: [{ port: 80 }], externalTrafficPolicy: 'Local' },
      ['spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services'],
    ],
  ];
  for (const [name, spec, expected] of cases) it(name, () => assert.deepEqual(errors(service(spec)), expected));
  it('on update the cluster IP may not change', () => {
    const old = service({ clusterIP: '10.96.0.10', ports: [{ port: 80 }] });
    assert.deepEqual(
      errors(service({ clusterIP: '10.96.0.11', ports: [{ port: 80 }] }), { operation: 'UPDATE', old }),
      ['spec.clusterIPs[0]: Invalid value: "10.96.0.11": may not change once set'],
    );
  });
});
