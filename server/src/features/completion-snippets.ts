import type { JsonSchema } from '../../kube-model/json-schema.js';
import type { KubernetesSchemas } from '../../kube-model/schema-loader.js';

/** Escapes text for a snippet body. */
export function snippetText(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/**
 * The snippet a key completion inserts: the key, and for objects and lists
 * their required children, indented two spaces per level relative to the
 * key's line (VS Code adds the line's own indentation).
 */
export function keySnippet(schemas: KubernetesSchemas, name: string, schema: JsonSchema): string {
  const counter = { next: 1 };
  return `${snippetText(name)}:${valueSnippet(schemas, schema, '', counter, 0)}`;
}

function valueSnippet(
  schemas: KubernetesSchemas,
  raw: JsonSchema,
  indent: string,
  counter: { next: number },
  depth: number,
): string {
  const s = schemas.resolver.resolve(raw);
  const tab = (): string => `$${counter.next++}`;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (s.enum && s.enum.length > 0)
    return ` \${${counter.next++}|${s.enum.map((v) => snippetText(String(v)).replace(/[,|]/g, '')).join(',')}|}`;
  if (type === 'boolean') return ` \${${counter.next++}|true,false|}`;
  if (type === 'array' && s.items) {
    const item = schemas.resolver.resolve(s.items);
    if (item.properties && depth < 3)
      return `\n${indent}  - ${requiredChildren(schemas, item, `${indent}    `, counter, depth + 1, true)}`;
    return `\n${indent}  - ${tab()}`;
  }
  if (type === 'object' || s.properties) {
    if (s.properties && s.required && s.required.length > 0 && depth < 3) {
      return `\n${indent}  ${requiredChildren(schemas, s, `${indent}  `, counter, depth + 1, false)}`;
    }
    return `\n${indent}  ${tab()}`;
  }
  return ` ${tab()}`;
}

/** `a: $1\n  b: $2` for the required properties (or one placeholder when none are required). */
function requiredChildren(
  schemas: KubernetesSchemas,
  s: JsonSchema,
  indent: string,
  counter: { next: number },
  depth: number,
  firstInline: boolean,
): string {
  const names = (s.required ?? []).filter((n) => s.properties?.[n] !== undefined);
  if (names.length === 0) return `$${counter.next++}`;
  return names
    .map((n, i) => {
      const prefix = i === 0 && firstInline ? '' : i === 0 ? '' : indent;
      return `${prefix}${snippetText(n)}:${valueSnippet(schemas, s.properties?.[n] ?? {}, indent, counter, depth)}`;
    })
    .join('\n');
}

/** Whole-resource snippets for an empty document, with labels and selectors that agree. */
export const RESOURCE_SNIPPETS: readonly { label: string; detail: string; body: string }[] = [
  {
    label: 'Deployment + Service',
    detail: 'apps/v1 Deployment with a matching v1 Service',
    body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${1:app}\n  labels:\n    app: ${1:app}\nspec:\n  replicas: ${2:2}\n  selector:\n    matchLabels:\n      app: ${1:app}\n  template:\n    metadata:\n      labels:\n        app: ${1:app}\n    spec:\n      containers:\n        - name: ${1:app}\n          image: ${3:nginx:1.27}\n          ports:\n            - name: http\n              containerPort: ${4:80}\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              memory: 256Mi\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ${1:app}\nspec:\n  selector:\n    app: ${1:app}\n  ports:\n    - name: http\n      port: ${5:80}\n      targetPort: http\n',
  },
  {
    label: 'Deployment',
    detail: 'apps/v1 Deployment',
    body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${1:app}\nspec:\n  replicas: ${2:2}\n  selector:\n    matchLabels:\n      app: ${1:app}\n  template:\n    metadata:\n      labels:\n        app: ${1:app}\n    spec:\n      containers:\n        - name: ${1:app}\n          image: ${3:nginx:1.27}\n          ports:\n            - containerPort: ${4:80}\n',
  },
  {
    label: 'Pod',
    detail: 'v1 Pod',
    body: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${1:app}\n  labels:\n    app: ${1:app}\nspec:\n  containers:\n    - name: ${1:app}\n      image: ${2:busybox:1.36}\n      command: [${3:"sleep", "3600"}]\n',
  },
  {
    label: 'Service',
    detail: 'v1 Service',
    body: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: ${1:app}\nspec:\n  type: ${2|ClusterIP,NodePort,LoadBalancer|}\n  selector:\n    app: ${1:app}\n  ports:\n    - name: http\n      port: ${3:80}\n      targetPort: ${4:http}\n',
  },
  {
    label: 'Ingress',
    detail: 'networking.k8s.io/v1 Ingress',
    body: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ${1:app}\nspec:\n  rules:\n    - host: ${2:app.localhost}\n      http:\n        paths:\n          - path: ${3:/}\n            pathType: ${4|Prefix,Exact,ImplementationSpecific|}\n            backend:\n              service:\n                name: ${5:app}\n                port:\n                  name: ${6:http}\n',
  },
  {
    label: 'ConfigMap',
    detail: 'v1 ConfigMap',
    body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${1:config}\ndata:\n  ${2:key}: ${3:value}\n',
  },
  {
    label: 'Secret',
    detail: 'v1 Secret (stringData: plain text, stored base64-encoded)',
    body: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${1:secret}\ntype: Opaque\nstringData:\n  ${2:password}: ${3:change-me}\n',
  },
  {
    label: 'Job',
    detail: 'batch/v1 Job',
    body: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${1:job}\nspec:\n  backoffLimit: ${2:3}\n  template:\n    spec:\n      restartPolicy: ${3|Never,OnFailure|}\n      containers:\n        - name: ${1:job}\n          image: ${4:busybox:1.36}\n          command: [${5:"echo", "done"}]\n',
  },
  {
    label: 'CronJob',
    detail: 'batch/v1 CronJob',
    body: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: ${1:cron}\nspec:\n  schedule: "${2:*/5 * * * *}"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: ${3|OnFailure,Never|}\n          containers:\n            - name: ${1:cron}\n              image: ${4:busybox:1.36}\n              command: [${5:"date"}]\n',
  },
];
