/**
 * The editor and the cluster give the same message for a manifest that breaks
 * one of the API server's own rules (server/kube-model/validation): each
 * manifest here gets exactly one error in the editor, and `kubectl apply` of it
 * to the embedded cluster fails with that same text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLanguageService } from '../../server/src/language-service';
import { clusterFixture } from './support/cluster-process';

const container = 'containers: [{name: web, image: nginx:1.27}]';

/** Manifests that break one rule each, by the rule. */
const BREAKING: Record<string, string> = {
  'a Deployment template that restarts Never': `apiVersion: apps/v1
kind: Deployment
metadata: {name: restarts}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      restartPolicy: Never
      ${container}
`,
  'a probe with two handlers': `apiVersion: v1
kind: Pod
metadata: {name: probes}
spec:
  containers:
    - name: web
      image: nginx:1.27
      livenessProbe: {exec: {command: ["true"]}, httpGet: {port: 80}}
`,
  'requests above limits': `apiVersion: v1
kind: Pod
metadata: {name: resources}
spec:
  containers:
    - name: web
      image: nginx:1.27
      resources: {requests: {cpu: "2"}, limits: {cpu: "1"}}
`,
  'a NodePort Service with clusterIP None': `apiVersion: v1
kind: Service
metadata: {name: headless-node}
spec:
  type: NodePort
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80}]
`,
  'two Service ports with the same port and protocol': `apiVersion: v1
kind: Service
metadata: {name: twice}
spec:
  selector: {app: web}
  ports: [{name: a, port: 80}, {name: b, port: 80, targetPort: 8080}]
`,
  'a ConfigMap key with a slash': `apiVersion: v1
kind: ConfigMap
metadata: {name: keys}
data: {"conf/app.yaml": "x"}
`,
  'an HPA whose max is below its min': `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: scale}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 3
  maxReplicas: 2
`,
  'a PDB with maxUnavailable above 100%': `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: budget}
spec:
  maxUnavailable: 120%
  selector: {matchLabels: {app: web}}
`,
  'an Ingress with a relative Prefix path': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
    - http:
        paths:
          - {path: api, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`,
  'a CronJob schedule with an hour of 25': `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 25 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          ${container}
`,
};

describe('the editor and kubectl apply give the same message for a broken API rule', () => {
  const c = clusterFixture('kw-val-rules-');
  const editor = createLanguageService();

  for (const [name, manifest] of Object.entries(BREAKING)) {
    it(name, () => {
      const errors = editor.diagnostics(manifest).filter((d) => d.severity === 1);
      assert.equal(errors.length, 1, errors.map((d) => d.message).join('\n'));
      const message = errors[0]!.message;
      const r = c.kubectl(['apply', '-f', '-'], manifest);
      assert.notEqual(r.code, 0, r.out);
      const said = /is invalid: (.*)$/m.exec(r.err)?.[1];
      assert.equal(said, message, r.err);
    });
  }
});
