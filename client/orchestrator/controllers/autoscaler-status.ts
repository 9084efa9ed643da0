/** The text of the `cluster-autoscaler-status` ConfigMap's `status`, in cluster-autoscaler's YAML shape (without its time line). */
export interface AutoscalerState {
  ready: number;
  registered: number;
  minNodes: number;
  maxNodes: number;
  scaleUp: 'InProgress' | 'NoActivity';
  scaleDownCandidates: number;
}

export function autoscalerStatus(s: AutoscalerState): string {
  const health = s.ready === s.registered ? 'Healthy' : 'Unhealthy';
  const counts = [
    `      nodeCounts:`,
    `        registered:`,
    `          total: ${s.registered}`,
    `          ready: ${s.ready}`,
    `          notStarted: ${s.registered - s.ready}`,
  ];
  const scaleDown =
    s.scaleDownCandidates > 0
      ? [`    status: CandidatesPresent`, `    candidates: ${s.scaleDownCandidates}`]
      : [`    status: NoCandidates`];
  return [
    'autoscalerStatus: Running',
    'clusterWide:',
    '  health:',
    `    status: ${health}`,
    ...counts.map((l) => l.slice(2)),
    '  scaleUp:',
    `    status: ${s.scaleUp}`,
    '  scaleDown:',
    ...scaleDown,
    'nodeGroups:',
    '- name: default',
    '  health:',
    `    status: ${health}`,
    ...counts.map((l) => l.slice(2)),
    `    cloudProviderTarget: ${s.registered}`,
    `    minSize: ${s.minNodes}`,
    `    maxSize: ${s.maxNodes}`,
    '  scaleUp:',
    `    status: ${s.scaleUp}`,
    '  scaleDown:',
    ...scaleDown.map((l) => `  ${l}`),
    '',
  ].join('\n');
}
