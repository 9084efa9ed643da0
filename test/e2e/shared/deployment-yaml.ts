/** A one-container Deployment as the e2e suites write it (labels `app: NAME`, a 1 s grace period so cleanup is quick). */
export interface DeploymentYaml {
  name: string;
  image: string;
  replicas?: number;
  /** The container's name (default `app`). */
  container?: string;
  workingDir?: string;
  /** Each a line under the container, already formatted (`command: [node]`). */
  fields?: string[];
}

export function deploymentYaml(d: DeploymentYaml): string {
  return [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${d.name}`,
    'spec:',
    `  replicas: ${d.replicas ?? 1}`,
    '  selector:',
    '    matchLabels:',
    `      app: ${d.name}`,
    '  template:',
    '    metadata:',
    '      labels:',
    `        app: ${d.name}`,
    '    spec:',
    '      terminationGracePeriodSeconds: 1',
    '      containers:',
    `        - name: ${d.container ?? 'app'}`,
    `          image: ${d.image}`,
    ...(d.workingDir !== undefined ? [`          workingDir: ${d.workingDir}`] : []),
    ...(d.fields ?? []).map((f) => `          ${f}`),
    '',
  ].join('\n');
}
