import { autoscalerTargetCheck } from './autoscaler-target.js';
import { duplicateResourcesCheck } from './duplicate-resources.js';
import { ingressBackendCheck } from './ingress-backend.js';
import { missingReferencesCheck } from './missing-references.js';
import { serviceSelectorCheck } from './service-selector.js';
import { targetPortNameCheck } from './target-port-name.js';
import type { WorkspaceCheck } from './workspace-check.js';

/** Every cross-resource check, in the order their diagnostics are listed. */
export const WORKSPACE_CHECKS: readonly WorkspaceCheck[] = [
  duplicateResourcesCheck,
  serviceSelectorCheck,
  targetPortNameCheck,
  ingressBackendCheck,
  missingReferencesCheck,
  autoscalerTargetCheck,
];
