/** The Deployment the patch tests (JSON, merge and strategic merge) patch: a fresh copy each call. */
export const deployment = () => ({
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a'] },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
          { name: 'side', image: 'busybox' },
        ],
        tolerations: [{ key: 'x' }],
      },
    },
  },
});
