import { describe, expect, it } from 'vitest';
import { kedaReplicas } from './keda';

describe('kedaReplicas', () => {
  const settings = { lagThreshold: 10, minReplicas: 0, maxReplicas: 20 };

  it('is ceil(total lag / lagThreshold)', () => {
    expect(kedaReplicas([5, 5, 1, 0], settings)).toMatchObject({ replicas: 2, totalLag: 11, limitedBy: 'lag' });
    expect(kedaReplicas([10, 10, 10, 0], settings).replicas).toBe(3);
  });

  it('never exceeds the partition count unless idle consumers are allowed', () => {
    expect(kedaReplicas([500, 500, 0], settings)).toMatchObject({ replicas: 3, limitedBy: 'partitions' });
    expect(kedaReplicas([500, 500, 0], { ...settings, allowIdleConsumers: true })).toMatchObject({
      replicas: 20,
      limitedBy: 'max',
    });
  });

  it('stays within min and max', () => {
    expect(kedaReplicas([1, 0], { ...settings, minReplicas: 2 })).toMatchObject({ replicas: 2, limitedBy: 'min' });
    expect(kedaReplicas(new Array<number>(12).fill(100), { ...settings, maxReplicas: 4 })).toMatchObject({
      replicas: 4,
      limitedBy: 'max',
    });
  });

  it('scales to zero at or below the activation threshold only when min is 0', () => {
    expect(kedaReplicas([0, 0], settings)).toMatchObject({ replicas: 0, limitedBy: 'inactive' });
    expect(kedaReplicas([2, 1], { ...settings, activationLagThreshold: 3 }).replicas).toBe(0);
    expect(kedaReplicas([2, 2], { ...settings, activationLagThreshold: 3 }).replicas).toBe(1);
    expect(kedaReplicas([0, 0], { ...settings, minReplicas: 1 })).toMatchObject({ replicas: 1, limitedBy: 'min' });
  });

  it('refuses settings KEDA would refuse', () => {
    expect(() => kedaReplicas([1], { lagThreshold: 0 })).toThrow(RangeError);
    expect(() => kedaReplicas([1], { lagThreshold: 5, minReplicas: 3, maxReplicas: 2 })).toThrow(RangeError);
  });
});
