/** The API server's validation rules beyond the schema, shared by the language server and the orchestrator. */
export * from './context';
export * from './field-error';
export { validateObject, validateKind, hasKindValidation } from './validate-object';
export {
  validateObjectMeta,
  validateName,
  validateLabels,
  validateAnnotations,
  nameRuleOf,
  NAME_CHECKED_KINDS,
} from './object-meta';
export { validatePodSpec, RESTART_POLICIES } from './pod-spec';
export { validatePodTemplate, validateSelectorAndTemplate, type TemplateRules } from './pod-template';
export { validateLabelSelector, selectorSelects } from './label-selector';
export { MAX_CONFIG_DATA_BYTES } from './config-data';
export { portNameErrors } from './ports';
export { validateReplicationController } from './workloads';
