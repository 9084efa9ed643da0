import { apiValidationRule } from './api-validation.js';
import { apiVersionsRule } from './api-versions.js';
import { duplicatesRule } from './duplicates.js';
import { imageTagRule } from './image-tag.js';
import { labelsRule } from './labels.js';
import { namesRule } from './names.js';
import type { Rule } from './rule.js';

/** Every Kubernetes-specific check, in the order their diagnostics are listed. */
export const RULES: readonly Rule[] = [
  apiVersionsRule,
  namesRule,
  labelsRule,
  apiValidationRule,
  duplicatesRule,
  imageTagRule,
];
