// Model class names in @kubernetes/client-node carry the API version in front
// of the Go type name (V1Pod, V2HorizontalPodAutoscaler, V1beta1DeviceClass)
// and, where two groups share a type name, the group before that (CoreV1Event,
// EventsV1Event, DiscoveryV1EndpointPort).
const VERSIONED_NAME = /^((?:[A-Z][a-z]+)*?)(V\d+(?:(?:alpha|beta)\d+)?)([A-Z]\w*)$/;

/**
 * The Go type name behind a model class: `V1PodSpec` → `PodSpec`,
 * `CoreV1Event` → `Event`. Names without a version (`VersionInfo`) are returned as they are.
 */
export function typeNameOf(modelName) {
  const match = VERSIONED_NAME.exec(modelName);
  return match ? match[3] : modelName;
}
