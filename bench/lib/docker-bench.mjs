// What every Docker bench starts with: the engine answering, the busybox test image built, and the helpers
// that find and remove a cluster's containers. Loaded on call, so benches that never touch Docker do not load them.
export async function dockerBench() {
  const { DockerEngine } = await import('../../client/orchestrator/kubelet/docker-client.ts');
  const { clusterIdFor } = await import('../../client/orchestrator/kubelet/docker-runtime-factory.ts');
  const { ensureBusyboxImage } = await import('../../test/integration/support/test-image.ts');
  const { removeCluster } = await import('../../test/integration/support/docker-cluster.ts');
  const engine = new DockerEngine();
  await engine.ping();
  const image = await ensureBusyboxImage(engine);
  return { engine, image, clusterIdFor, removeCluster };
}
