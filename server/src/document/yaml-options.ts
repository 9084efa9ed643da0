// The manifest YAML options live in the shared model, which the orchestrator's API server reads YAML bodies with too.
export { MANIFEST_YAML_OPTIONS } from '../../kube-model/yaml-options.js';
