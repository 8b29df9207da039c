/** The settings of a KEDA `ScaledObject` with a Kafka trigger that decide the replica count. */
export interface KedaSettings {
  /** Target lag per replica (KEDA's default 10). */
  readonly lagThreshold: number;
  /** Total lag above which the scaler is active (default 0): at or below it, scale to `minReplicas`. */
  readonly activationLagThreshold?: number;
  /** `minReplicaCount` (KEDA's default 0) and `maxReplicaCount` (default 100). */
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  /** KEDA's `allowIdleConsumers` (default false: never more replicas than partitions). */
  readonly allowIdleConsumers?: boolean;
}

export interface ReplicaEstimate {
  readonly replicas: number;
  readonly totalLag: number;
  readonly partitions: number;
  /** Which bound decided, for people: `lag`, `partitions`, `min`, `max` or `inactive`. */
  readonly limitedBy: 'lag' | 'partitions' | 'min' | 'max' | 'inactive';
}

/**
 * The replica count KEDA's Kafka scaler leads the HPA to: ceil(total lag / lagThreshold), at most
 * one consumer per partition (the scaler caps the lag it reports at partitions × threshold),
 * within [minReplicas, maxReplicas]; 0 when inactive with minReplicas 0. The HPA's 10 %
 * tolerance and stabilisation windows, which depend on the current count and on time, are left out.
 */
export function kedaReplicas(partitionLags: readonly number[], settings: KedaSettings): ReplicaEstimate {
  const threshold = settings.lagThreshold;
  if (!(threshold > 0)) throw new RangeError('lagThreshold must be above 0');
  const min = settings.minReplicas ?? 0;
  const max = settings.maxReplicas ?? 100;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < Math.max(1, min)) {
    throw new RangeError('replica bounds must be whole numbers with 0 <= min <= max and max >= 1');
  }
  const partitions = partitionLags.length;
  const totalLag = partitionLags.reduce((sum, lag) => sum + Math.max(0, lag), 0);
  const base = { totalLag, partitions };
  if (totalLag <= (settings.activationLagThreshold ?? 0) && min === 0) {
    return { ...base, replicas: 0, limitedBy: 'inactive' };
  }
  const reported = settings.allowIdleConsumers ? totalLag : Math.min(totalLag, partitions * threshold);
  const wanted = Math.ceil(reported / threshold);
  const floor = Math.max(min, 1);
  if (wanted > max) return { ...base, replicas: max, limitedBy: 'max' };
  if (wanted < floor) return { ...base, replicas: floor, limitedBy: 'min' };
  const capped = !settings.allowIdleConsumers && totalLag > partitions * threshold;
  return { ...base, replicas: wanted, limitedBy: capped ? 'partitions' : 'lag' };
}
