// Small manifests for workspace tests, written out in full so each test reads
// like the files a user would have.
import { yaml } from './workspace.js';

export function deployment(
  opts: { name?: string; namespace?: string; labels?: string; ports?: string[]; spec?: string[] } = {},
): string {
  return yaml(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${opts.name ?? 'web'}`,
    ...(opts.namespace ? [`  namespace: ${opts.namespace}`] : []),
    'spec:',
    `  selector: {matchLabels: ${opts.labels ?? '{app: web}'}}`,
    '  template:',
    '    metadata:',
    `      labels: ${opts.labels ?? '{app: web}'}`,
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: nginx:1.27',
    ...(opts.ports ?? ['          ports:', '            - {name: http, containerPort: 8080}']),
    ...(opts.spec ?? []),
  );
}

export function service(opts: { name?: string; namespace?: string; selector?: string; ports?: string[] } = {}): string {
  return yaml(
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    `  name: ${opts.name ?? 'web'}`,
    ...(opts.namespace ? [`  namespace: ${opts.namespace}`] : []),
    'spec:',
    `  selector: ${opts.selector ?? '{app: web}'}`,
    '  ports:',
    ...(opts.ports ?? ['    - name: http', '      port: 80', '      targetPort: http']),
  );
}

export function configMap(opts: { name?: string; namespace?: string; data?: string } = {}): string {
  return yaml(
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: ${opts.name ?? 'settings'}`,
    ...(opts.namespace ? [`  namespace: ${opts.namespace}`] : []),
    `data: ${opts.data ?? '{LOG_LEVEL: info}'}`,
  );
}

export function ingress(opts: { namespace?: string; service?: string; port?: string } = {}): string {
  return yaml(
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata:',
    '  name: site',
    ...(opts.namespace ? [`  namespace: ${opts.namespace}`] : []),
    'spec:',
    '  rules:',
    '    - http:',
    '        paths:',
    '          - path: /',
    '            pathType: Prefix',
    '            backend:',
    '              service:',
    `                name: ${opts.service ?? 'web'}`,
    `                port: ${opts.port ?? '{number: 80}'}`,
  );
}
