// A file of `count` Deployments (about 31 lines each, as the file of
// 1,000 Deployments), each a little different so no two documents share text.
export function deploymentsFile(count) {
  const docs = [];
  for (let i = 0; i < count; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  namespace: shop
  labels:
    app: web-${i}
    tier: frontend
spec:
  replicas: ${1 + (i % 5)}
  selector:
    matchLabels:
      app: web-${i}
  template:
    metadata:
      labels:
        app: web-${i}
        tier: frontend
    spec:
      containers:
        - name: web
          image: registry.example/web:1.${i}
          ports:
            - containerPort: ${8000 + (i % 1000)}
              name: http
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 256Mi }
          env:
            - name: INDEX
              value: "${i}"`);
  }
  return `${docs.join('\n---\n')}\n`;
}
