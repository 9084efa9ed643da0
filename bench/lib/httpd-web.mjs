// The workload of the Docker benches: three busybox httpd pods behind a NodePort Service (and, for the
// request-rate rounds, an Ingress), each answering its own hostname.
export const HTTPD = 'hostname > /www/index.html; exec httpd -f -p 8080 -h /www';

/** Deployment `bench` (3 replicas) and its NodePort Service. */
export const webManifest = (image, nodePort) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: bench}
spec:
  replicas: 3
  selector: {matchLabels: {app: bench}}
  template:
    metadata: {labels: {app: bench}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - {name: httpd, image: ${image}, command: [/bin/sh, -c, '${HTTPD}'], ports: [{containerPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: bench}
spec:
  type: NodePort
  selector: {app: bench}
  ports: [{port: 80, targetPort: 8080, nodePort: ${nodePort}}]
`;
