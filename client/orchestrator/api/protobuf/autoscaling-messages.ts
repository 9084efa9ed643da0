/**
 * The protobuf messages of autoscaling/v1 HorizontalPodAutoscalers (what
 * `kubectl autoscale` sends), written from the field numbers of k8s.io/api's
 * autoscaling/v1 generated.proto; added to the generated table (proto-messages.ts).
 */
import type { FieldDef } from './proto-messages';

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const V1 = 'k8s.io.api.autoscaling.v1';

export const AUTOSCALING_MESSAGES: Record<string, Record<string, FieldDef>> = {
  [`${V1}.HorizontalPodAutoscaler`]: {
    '1': ['metadata', 'one', `${META}.ObjectMeta`],
    '2': ['spec', 'one', `${V1}.HorizontalPodAutoscalerSpec`],
    '3': ['status', 'one', `${V1}.HorizontalPodAutoscalerStatus`],
  },
  [`${V1}.HorizontalPodAutoscalerSpec`]: {
    '1': ['scaleTargetRef', 'one', `${V1}.CrossVersionObjectReference`],
    '2': ['minReplicas', 'one', 'int32'],
    '3': ['maxReplicas', 'one', 'int32'],
    '4': ['targetCPUUtilizationPercentage', 'one', 'int32'],
  },
  [`${V1}.CrossVersionObjectReference`]: {
    '1': ['kind', 'one', 'string'],
    '2': ['name', 'one', 'string'],
    '3': ['apiVersion', 'one', 'string'],
  },
  [`${V1}.HorizontalPodAutoscalerStatus`]: {
    '1': ['observedGeneration', 'one', 'int64'],
    '2': ['lastScaleTime', 'one', `${META}.Time`],
    '3': ['currentReplicas', 'one', 'int32'],
    '4': ['desiredReplicas', 'one', 'int32'],
    '5': ['currentCPUUtilizationPercentage', 'one', 'int32'],
  },
};
