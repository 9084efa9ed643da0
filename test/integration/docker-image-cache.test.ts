/**
 * The Docker runtime remembers images it found present (no image inspect on
 * every container start): it must answer as if it asked every time. An image
 * removed behind its back gives the same ErrImagePull as without the memory
 * (not a CreateContainerError), and once the image is back the pod starts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { containerStatus, eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

const docker = (...args: string[]) => {
  const r = spawnSync('docker', args, { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
};

describe('Docker runtime: images found present', () => {
  let dc: DockerCluster;
  /** A tag of our own on the test image, so removing it leaves the shared one alone. */
  const tag = `kw-image-cache-${process.pid}:1`;
  before(async () => {
    dc = await startDockerCluster();
    docker('tag', dc.image, tag);
  });
  after(async () => {
    spawnSync('docker', ['rmi', tag]);
    await dc?.destroy();
  });

  const pod = (name: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - {name: main, image: ${tag}, imagePullPolicy: IfNotPresent, command: [sleep, '3600']}
`;

  it('a removed image is looked up again: ErrImagePull, then the pod starts once it is back', async () => {
    dc.apply(pod('first'));
    await eventually('first running', 30, () => containerStatus(dc, 'first')?.state?.running);

    docker('rmi', tag);
    dc.apply(pod('second'));
    const waiting = await eventually('second waiting on its image', 30, () => {
      const reason = containerStatus(dc, 'second')?.state?.waiting?.reason;
      return reason && reason !== 'ContainerCreating' ? reason : undefined;
    });
    assert.match(waiting, /^(ErrImagePull|ImagePullBackOff)$/);

    docker('tag', dc.image, tag);
    await eventually('second running once the image is back', 60, () => containerStatus(dc, 'second')?.state?.running);
  });
});
