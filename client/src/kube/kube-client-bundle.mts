/** Entry of `client/out/kube-client.js`: client-node in a bundle of its own, loaded on first use (see client-node.ts). */
export * from '@kubernetes/client-node';
