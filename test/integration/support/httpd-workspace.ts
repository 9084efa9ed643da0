/**
 * A `kube-workbench run --watch` project as a developer has it: busybox httpd
 * serving index.html (built `FROM` the local busybox test image), a Deployment
 * and NodePort Service, and a `skaffold.yaml` that syncs HTML files into the
 * running container. Shared by the run --watch test and the dev-loop bench.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The Dockerfile; `extra` is one more instruction before CMD (e.g. to change the image on an edit). */
export const httpdDockerfile = (base: string, extra = '') =>
  [
    `FROM ${base}`,
    'RUN busybox --install -s /bin || true',
    'WORKDIR /www',
    'COPY index.html ./',
    extra,
    'CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]',
    '',
  ].join('\n');

export const httpdManifest = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 8080, name: http}]
        readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  type: NodePort
  selector: {app: ${name}}
  ports: [{port: 80, targetPort: http}]
`;

export const syncSkaffold = (image: string) => `apiVersion: skaffold/v4beta11
kind: Config
build:
  artifacts:
  - image: ${image}
    sync:
      infer: ['*.html']
manifests:
  rawYaml: [k8s.yaml]
`;

/** Makes the project in `dir`: Dockerfile (with `extra`), index.html holding `text`, k8s.yaml and skaffold.yaml. */
export function writeHttpdProject(
  dir: string,
  project: { base: string; image: string; name: string; text: string; extra?: string },
): void {
  mkdirSync(dir);
  writeFileSync(join(dir, 'Dockerfile'), httpdDockerfile(project.base, project.extra));
  writeFileSync(join(dir, 'index.html'), project.text);
  writeFileSync(join(dir, 'k8s.yaml'), httpdManifest(project.name, project.image));
  writeFileSync(join(dir, 'skaffold.yaml'), syncSkaffold(project.image));
}
