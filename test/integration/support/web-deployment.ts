/**
 * The Deployment the LSP tests put in a workspace: its container reads its environment
 * from the ConfigMap `settings` (line 13, the reference at character 42).
 */
export const WEB_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          envFrom: [{configMapRef: {name: settings}}]
`;
