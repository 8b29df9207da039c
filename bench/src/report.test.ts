import { describe, expect, it } from 'vitest';
import { chartSpecs, figures, svgOf, type ChartSpec, type Results } from './report';

/** Results shaped as the benchmarks write them, with a BullMQ pickup of 0 ms (as measured). */
const results: Results = {
  ingress: {
    rows: [1, 16, 64].map((c) => ({ concurrency: c, acceptedPerSecond: c * 20, kafkajsAlonePerSecond: c * 200 })),
  },
  processor: {
    pickup: { pickupMs: { p50: 54, p90: 110, p99: 194 } },
    makespan: [1, 2, 4].map((n) => ({ processes: n, makespanMs: 64_000 / n })),
  },
  bullmq: {
    accept: [1, 16, 64].map((c) => ({ connections: c, acceptedPerSecond: c * 190 })),
    pickup: { p50Ms: 0, p90Ms: 1, p99Ms: 1 },
    makespans: [1, 2, 4].map((n) => ({ workers: n, makespanMs: 62_000 / n })),
  },
  e2e: { memoryMiB: { idle: { ingress: 90, processor: 80 }, underLoad: { ingress: 120, processor: 110 } } },
};

/** The numbers on a chart's axes: an empty chart (a scale that cannot place its values) has none. */
const tickNumbers = (svg: string) =>
  [...svg.matchAll(/>([\d.,]+)<\/text>/g)].map((m) => Number(m[1]!.replace(/,/g, ''))).filter(Number.isFinite);

/** Vega marks the values it is given, so each drawing gets its own copy. */
const draw = (c: ChartSpec) => svgOf({ title: c.title, data: { values: structuredClone(c.values) }, ...c.spec });

describe('report charts', () => {
  const specs = chartSpecs(results, figures(results));

  it('draws every chart the results have figures for', () => {
    expect(specs.map((s) => s.name)).toEqual(['accept', 'pickup', 'scaling', 'memory']);
  });

  it.each(['accept', 'pickup', 'scaling', 'memory'])('%s has a value axis with numbers', async (name) => {
    const c = specs.find((s) => s.name === name)!;
    const svg = await draw(c);
    expect(tickNumbers(svg).length).toBeGreaterThan(2);
  });

  it('puts the pickup latencies on a log axis that spans them, a 0 ms shown at 0.5 ms', async () => {
    const c = specs.find((s) => s.name === 'pickup')!;
    expect(c.values).toContainEqual({ system: 'BullMQ', percentile: 'p50', ms: 0.5 });
    const ticks = tickNumbers(await draw(c));
    expect(Math.min(...ticks)).toBeLessThanOrEqual(0.1);
    expect(Math.max(...ticks)).toBeGreaterThanOrEqual(100);
  });
});
