import { apiVersionsRule } from './api-versions.js';
import { duplicatesRule } from './duplicates.js';
import { imageTagRule } from './image-tag.js';
import { labelsRule } from './labels.js';
import { namesRule } from './names.js';
import { portsRule } from './ports.js';
import type { Rule } from './rule.js';
import { selectorMatchRule } from './selector-match.js';

/** Every Kubernetes-specific check, in the order their diagnostics are listed. */
export const RULES: readonly Rule[] = [
  apiVersionsRule,
  namesRule,
  labelsRule,
  portsRule,
  duplicatesRule,
  selectorMatchRule,
  imageTagRule,
];
