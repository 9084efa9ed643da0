/**
 * The defaults Kubernetes fills in on create and update (the API types'
 * defaulting functions and the default admission plugins), plus Service IP
 * and port allocation.
 */
import { isObject, setOwn, type JsonObject, type KubeObject } from '../../store/object';
import type { Admission, AdmissionContext } from './admission';
import { DEFAULT_CLASS_ANNOTATION, STORAGE_CLASSES } from '../../store/storage-class';
import { allocateClusterIP, allocateNodePort, usedClusterIPs, usedNodePorts } from './allocators';
import { cronJobPodSpec, defaultCronJob, defaultJob } from './batch-defaults';
import { defaultReplicationController } from './replication-controller-admission';
import { child, objects, setDefault } from './default-fields';
import { defaultHorizontalPodAutoscaler } from './hpa-defaults';

/** `Always` for `:latest` or no tag (and no digest), else `IfNotPresent`. */
export function defaultPullPolicy(image: unknown): string {
  if (typeof image !== 'string' || image.includes('@')) return 'IfNotPresent';
  const lastSlash = image.lastIndexOf('/');
  const tagAt = image.indexOf(':', lastSlash + 1);
  const tag = tagAt === -1 ? '' : image.slice(tagAt + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: unknown): void {
  if (!isObject(probe)) return;
  setDefault(probe, 'timeoutSeconds', 1);
  setDefault(probe, 'periodSeconds', 10);
  setDefault(probe, 'successThreshold', 1);
  setDefault(probe, 'failureThreshold', 3);
  if (isObject(probe.httpGet)) setDefault(probe.httpGet, 'scheme', 'HTTP');
}

function defaultContainer(c: JsonObject): void {
  setDefault(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'resources', {});
  for (const p of objects(c.ports)) setDefault(p, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(c[probe]);
}

/** An ephemeral container's defaults: those of a container without resources, ports or probes (it may have none). */
export function defaultEphemeralContainer(c: JsonObject): void {
  setDefault(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
}

export function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'schedulerName', 'default-scheduler');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  for (const c of [...objects(spec.initContainers), ...objects(spec.containers)]) defaultContainer(c);
  for (const c of objects(spec.ephemeralContainers)) defaultEphemeralContainer(c);
  for (const v of objects(spec.volumes)) {
    if (isObject(v.configMap)) setDefault(v.configMap, 'defaultMode', 420);
    if (isObject(v.secret)) setDefault(v.secret, 'defaultMode', 420);
  }
}

function qosClass(spec: JsonObject): string {
  const containers = objects(spec.containers);
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const resources = isObject(c.resources) ? c.resources : {};
    const requests = isObject(resources.requests) ? resources.requests : {};
    const limits = isObject(resources.limits) ? resources.limits : {};
    if (Object.keys(requests).length > 0 || Object.keys(limits).length > 0) any = true;
    for (const r of ['cpu', 'memory']) {
      if (limits[r] === undefined || (requests[r] !== undefined && requests[r] !== limits[r])) guaranteed = false;
    }
  }
  return !any ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable';
}

/** A Pod's own spec defaults: a template's, plus what the admission plugins fill in (service account, priority). */
export function defaultPodObjectSpec(spec: JsonObject): void {
  defaultPodSpec(spec);
  setDefault(spec, 'serviceAccountName', 'default');
  setDefault(spec, 'enableServiceLinks', true);
  setDefault(spec, 'priority', 0);
  setDefault(spec, 'preemptionPolicy', 'PreemptLowerPriority');
}

function defaultPod(pod: KubeObject, create: boolean): void {
  const spec = child(pod, 'spec');
  defaultPodObjectSpec(spec);
  if (create) pod.status = { phase: 'Pending', qosClass: qosClass(spec) };
}

function defaultTemplate(owner: JsonObject): void {
  const spec = child(owner, 'spec');
  const template = child(spec, 'template');
  defaultPodSpec(child(template, 'spec'));
}

function defaultDeployment(d: KubeObject): void {
  const spec = child(d, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = child(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', '25%');
    setDefault(rolling, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultTemplate(d);
}

/** StatefulSet defaults (apps/v1), and each claim template's as a claim's. */
function defaultStatefulSet(set: KubeObject): void {
  const spec = child(set, 'spec');
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = child(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') setDefault(child(strategy, 'rollingUpdate'), 'partition', 0);
  setDefault(spec, 'revisionHistoryLimit', 10);
  const retention = child(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefault(retention, 'whenDeleted', 'Retain');
  setDefault(retention, 'whenScaled', 'Retain');
  for (const claim of objects(spec.volumeClaimTemplates)) {
    setDefault(claim, 'apiVersion', 'v1');
    setDefault(claim, 'kind', 'PersistentVolumeClaim');
    setDefault(child(claim, 'spec'), 'volumeMode', 'Filesystem');
    setDefault(child(claim, 'status'), 'phase', 'Pending');
  }
  defaultTemplate(set);
}

function defaultDaemonSet(ds: KubeObject): void {
  const spec = child(ds, 'spec');
  const strategy = child(spec, 'updateStrategy');
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = child(strategy, 'rollingUpdate');
    setDefault(rolling, 'maxUnavailable', 1);
    setDefault(rolling, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultTemplate(ds);
}

function defaultService(svc: KubeObject, context: AdmissionContext): void {
  const spec = child(svc, 'spec');
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  const type = spec.type;
  for (const p of objects(spec.ports)) {
    setDefault(p, 'protocol', 'TCP');
    setDefault(p, 'targetPort', p.port);
  }
  if (type === 'ExternalName') return;
  setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  const oldSpec = context.old && isObject(context.old.spec) ? context.old.spec : undefined;
  if (spec.clusterIP === undefined || spec.clusterIP === '') {
    spec.clusterIP =
      typeof oldSpec?.clusterIP === 'string' && oldSpec.clusterIP !== ''
        ? oldSpec.clusterIP
        : allocateClusterIP(usedClusterIPs(context.store));
  }
  setDefault(spec, 'clusterIPs', [spec.clusterIP]);
  if (spec.clusterIP !== 'None') {
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
  }
  if (type === 'NodePort' || type === 'LoadBalancer') {
    setDefault(spec, 'externalTrafficPolicy', 'Cluster');
    const used = usedNodePorts(context.store, context.old?.metadata.uid);
    const oldPorts = objects(oldSpec?.ports);
    for (const p of objects(spec.ports)) {
      if (p.nodePort !== undefined) continue;
      const previous = oldPorts.find((o) => o.port === p.port && o.protocol === p.protocol)?.nodePort;
      const port = typeof previous === 'number' && !used.has(previous) ? previous : allocateNodePort(used);
      used.add(port);
      p.nodePort = port;
    }
    if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  }
}

/** A claim's volume mode, and on create the default StorageClass when it names none (the DefaultStorageClass plugin). */
function defaultClaim(claim: KubeObject, context: AdmissionContext, create: boolean): void {
  const spec = child(claim, 'spec');
  setDefault(spec, 'volumeMode', 'Filesystem');
  if (!create) return;
  if (spec.storageClassName === undefined || spec.storageClassName === null) {
    const classes = context.store.list(STORAGE_CLASSES).items;
    const fallback = classes.find((c) => c.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true');
    if (fallback?.metadata.name) spec.storageClassName = fallback.metadata.name;
  }
  claim.status = { phase: 'Pending' };
}

/**
 * A Secret's `stringData` is write-only: each key is written into `data` (base64), over a
 * key of the same name there, and `stringData` itself is never stored (as Kubernetes
 * converts it). Non-string values were refused at decoding.
 */
function mergeStringData(secret: KubeObject): void {
  if (!isObject(secret.stringData)) {
    delete secret.stringData;
    return;
  }
  const data: JsonObject = {};
  if (isObject(secret.data)) for (const [k, v] of Object.entries(secret.data)) setOwn(data, k, v);
  for (const [key, value] of Object.entries(secret.stringData)) {
    if (typeof value === 'string') setOwn(data, key, Buffer.from(value, 'utf8').toString('base64'));
  }
  secret.data = data;
  delete secret.stringData;
}

export const defaultsAdmission: Admission = {
  default(object, context) {
    const create = context.operation === 'CREATE';
    if (create && context.def.inert)
      context.warnings.push(`${context.def.kind} is stored by the embedded cluster but ${context.def.inert}`);
    switch (`${context.def.group}/${context.def.kind}`) {
      case '/Pod':
        defaultPod(object, create);
        break;
      case 'apps/Deployment':
        defaultDeployment(object);
        if (create) delete object.status;
        break;
      case 'apps/ReplicaSet':
        setDefault(child(object, 'spec'), 'replicas', 1);
        defaultTemplate(object);
        if (create) delete object.status;
        break;
      case '/ReplicationController':
        defaultReplicationController(object, create);
        if (isObject(object.spec) && isObject(object.spec.template)) defaultTemplate(object);
        break;
      case '/PodTemplate':
        if (isObject(object.template)) defaultPodSpec(child(object.template, 'spec'));
        break;
      case 'apps/StatefulSet':
        defaultStatefulSet(object);
        if (create) delete object.status;
        break;
      case 'apps/DaemonSet':
        defaultDaemonSet(object);
        if (create) delete object.status;
        break;
      case '/Service':
        defaultService(object, context);
        if (create) object.status = { loadBalancer: {} };
        break;
      case '/Namespace':
        if (create) object.spec = { finalizers: ['kubernetes'] };
        setDefault(child(object, 'status'), 'phase', 'Active');
        break;
      case '/Secret':
        setDefault(object, 'type', 'Opaque');
        mergeStringData(object);
        break;
      case '/PersistentVolumeClaim':
        defaultClaim(object, context, create);
        break;
      case '/PersistentVolume':
        setDefault(child(object, 'spec'), 'persistentVolumeReclaimPolicy', 'Retain');
        setDefault(child(object, 'spec'), 'volumeMode', 'Filesystem');
        if (create) object.status = { phase: 'Pending' };
        break;
      case 'batch/Job':
        defaultJob(object, create);
        defaultTemplate(object);
        break;
      case 'batch/CronJob':
        defaultCronJob(object, create);
        defaultPodSpec(cronJobPodSpec(object));
        break;
      case 'autoscaling/HorizontalPodAutoscaler':
        if (context.def.version === 'v2') defaultHorizontalPodAutoscaler(object);
        break;
      case 'storage.k8s.io/StorageClass':
        setDefault(object, 'reclaimPolicy', 'Delete');
        setDefault(object, 'volumeBindingMode', 'Immediate');
        break;
      case '/ServiceAccount':
      case '/ConfigMap':
      default:
        break;
    }
  },
  validate() {
    return [];
  },
};
