/**
 * A workspace as a developer has it: a small Python web app with its
 * Dockerfile (`FROM` the local Python test image), a `.dockerignore`, a
 * Deployment and NodePort Service, and a `skaffold.yaml` that builds the app.
 * The app answers `MESSAGE secret=BOOL` (whether the ignored file reached
 * the image). Shared by the `kube-workbench run` test and the bench.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const WEB_IMAGE = 'kw-test/py-web';

export const appSource = (message: string) =>
  [
    'import http.server, os',
    'class Handler(http.server.BaseHTTPRequestHandler):',
    '    def do_GET(self):',
    `        body = ("${message} secret=%s\\n" % os.path.exists("/app/secret.txt")).encode()`,
    '        self.send_response(200)',
    '        self.send_header("Content-Length", str(len(body)))',
    '        self.end_headers()',
    '        self.wfile.write(body)',
    '    def log_message(self, *args):',
    '        pass',
    'http.server.ThreadingHTTPServer(("", 8080), Handler).serve_forever()',
    '',
  ].join('\n');

export const dockerfile = (base: string, extra: string[] = []) =>
  [`FROM ${base}`, 'WORKDIR /app', ...extra, 'COPY . /app/', 'CMD ["python3", "/app/app.py"]', ''].join('\n');

export function manifest(name: string, image = WEB_IMAGE): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
        - name: web
          image: ${image}
          ports: [{ containerPort: 8080 }]
          readinessProbe:
            tcpSocket: { port: 8080 }
            periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: NodePort
  selector: { app: ${name} }
  ports: [{ port: 80, targetPort: 8080 }]
`;
}

/** Writes the workspace into `root`; returns the paths a test edits. */
export function writePythonWorkspace(
  root: string,
  base: string,
  name: string,
  message = 'hello v1',
): { dockerfile: string; app: string; secret: string } {
  const app = join(root, 'app');
  mkdirSync(app, { recursive: true });
  mkdirSync(join(root, 'k8s'), { recursive: true });
  writeFileSync(join(app, 'Dockerfile'), dockerfile(base));
  writeFileSync(join(app, 'app.py'), appSource(message));
  writeFileSync(join(app, '.dockerignore'), '# kept out of the image\nsecret.txt\n*.log\n');
  writeFileSync(join(app, 'secret.txt'), 'not for the image\n');
  writeFileSync(join(root, 'k8s', 'web.yaml'), manifest(name));
  writeFileSync(
    join(root, 'skaffold.yaml'),
    [
      'apiVersion: skaffold/v4beta11',
      'kind: Config',
      'build:',
      '  artifacts:',
      `    - image: ${WEB_IMAGE}`,
      '      context: app',
      'manifests:',
      '  rawYaml: [k8s/*.yaml]',
      '',
    ].join('\n'),
  );
  return { dockerfile: join(app, 'Dockerfile'), app: join(app, 'app.py'), secret: join(app, 'secret.txt') };
}
