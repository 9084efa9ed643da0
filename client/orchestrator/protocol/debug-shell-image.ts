/**
 * The image of the tree's "Debug Shell" by default: on the embedded cluster's Docker runtime it
 * needs no registry, the kubelet makes it on first use from this machine's static busybox
 * (`kubelet/infra/debug-image.ts`); the fake runtime accepts any image.
 */
export const DEBUG_SHELL_IMAGE = 'kube-workbench/debug-shell:1';
