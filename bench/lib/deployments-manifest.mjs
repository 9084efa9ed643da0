// A file of `count` distinct Deployments (~31 lines each, block style, as
// people write them), and a JSON schema holding only the Deployment
// definition with every definition it refers to, for yaml-language-server.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Line (zero-based, within its document) of the `replicas:` value each document carries. */
export const REPLICAS_LINE = 7;

function deployment(i, replicas) {
  const name = `web-${String(i).padStart(4, '0')}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: web
          image: registry.example/web:1.0.${i}
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080`;
}

/**
 * The file's text and the lines where each document starts. The last
 * document's `replicas` is a word (a schema type error both servers report):
 * its diagnostic proves the whole file was checked.
 */
export function deploymentsManifest(count) {
  const docs = [];
  for (let i = 0; i < count; i++) docs.push(deployment(i, i === count - 1 ? 'three' : 2));
  const text = `${docs.join('\n---\n')}\n`;
  const starts = [];
  let line = 0;
  for (const doc of docs) {
    starts.push(line);
    line += doc.split('\n').length + 1;
  }
  return { text, starts, lastReplicasLine: (starts.at(-1) ?? 0) + REPLICAS_LINE };
}

/** The Deployment definition and the definitions it reaches through `$ref`s, as one schema file. */
export function writeDeploymentSchema(dir, version = '1.34') {
  const schemasDir = join(process.cwd(), 'schemas');
  const index = JSON.parse(readFileSync(join(schemasDir, 'index.json'), 'utf8'));
  const entry = index.versions[version];
  const { definitions } = JSON.parse(readFileSync(join(schemasDir, entry.file), 'utf8'));
  const root = entry.kinds['apps/v1/Deployment'];
  const kept = {};
  const visit = (name) => {
    if (kept[name] || !definitions[name]) return;
    kept[name] = definitions[name];
    JSON.stringify(definitions[name], (key, value) => {
      if (key === '$ref' && typeof value === 'string') visit(value.replace('#/definitions/', ''));
      return value;
    });
  };
  visit(root);
  const file = join(dir, `deployment-${version}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      $schema: 'http://json-schema.org/draft-07/schema#',
      definitions: kept,
      $ref: `#/definitions/${root}`,
    }),
  );
  return file;
}
