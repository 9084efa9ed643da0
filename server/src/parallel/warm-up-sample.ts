/**
 * Manifests of the kinds people write most, with what the checks look at (probes, ports, resources,
 * selectors, volumes, a finding or two): a worker validates them while it waits, so the code of the
 * parse, the schema walk and the rules is compiled and optimised before an editor's first large file.
 * `round` makes every round's names differ (no round is a copy of the last).
 */
export function warmUpSample(round: number): string {
  const name = `warm-${round}`;
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: default
  labels:
    app.kubernetes.io/name: ${name}
  annotations:
    example.com/owner: "team-${round}"
spec:
  replicas: ${round % 2 === 0 ? 3 : 'three'}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
    spec:
      serviceAccountName: ${name}
      securityContext:
        runAsNonRoot: true
      containers:
        - name: app
          image: registry.example/${name}:1.${round}
          imagePullPolicy: IfNotPresent
          args: ["--port", "8080"]
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
          env:
            - name: MODE
              value: "production"
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
          envFrom:
            - configMapRef:
                name: ${name}
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              memory: 256Mi
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
            periodSeconds: 5
          livenessProbe:
            tcpSocket:
              port: 8080
          volumeMounts:
            - name: data
              mountPath: /data
      volumes:
        - name: data
          emptyDir: {}
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: ${name}
  ports:
    - name: http
      port: 80
      targetPort: http
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  LEVEL: info
  config.yaml: |
    key: value
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${name}
spec:
  rules:
    - host: ${name}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${name}
                port:
                  number: 80
---
apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
spec:
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: job
          image: busybox:1.36
          command: ["sh", "-c", "echo ${round}"]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: ${name}-db
spec:
  serviceName: ${name}-db
  replicas: 1
  selector:
    matchLabels: { app: ${name}-db }
  template:
    metadata:
      labels: { app: ${name}-db }
    spec:
      containers:
        - name: db
          image: postgres:16
          ports: [{ containerPort: 5432 }]
  volumeClaimTemplates:
    - metadata:
        name: pgdata
      spec:
        accessModes: ["ReadWriteOnce"]
        resources:
          requests:
            storage: 1Gi
`;
}
