import { apiValidationRule } from './api-validation.js';
import { apiVersionsRule } from './api-versions.js';
import { duplicatesRule } from './duplicates.js';
import { imageTagRule } from './image-tag.js';
import type { Rule } from './rule.js';

/** Every Kubernetes-specific check, in the order their diagnostics are listed. */
export const RULES: readonly Rule[] = [apiVersionsRule, apiValidationRule, duplicatesRule, imageTagRule];
