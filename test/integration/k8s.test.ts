import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { topicSpecs } from '@longhaul/kafka';
import type { K8sTools } from '@longhaul/local-stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { k8sTools, kubeconform, parseObjects, TOOLS_TIMEOUT_MS, type K8sObject } from '../helpers/k8s';
import { repoRoot } from '../helpers/service-process';

const run = promisify(execFile);

// k8s/: the platform (Strimzi Kafka, MongoDB, Apicurio) as kustomize bases and overlays.
describe('the platform manifests (k8s/)', () => {
  let tools: K8sTools;
  const built: Record<string, { text: string; objects: K8sObject[] }> = {};

  beforeAll(async () => {
    tools = await k8sTools();
    for (const overlay of ['dev', 'staging']) {
      const { stdout } = await run(tools.kustomize, ['build', join(repoRoot, 'k8s', 'overlays', overlay)], {
        maxBuffer: 16 * 1024 * 1024,
      });
      built[overlay] = { text: stdout, objects: parseObjects(stdout) };
    }
  }, TOOLS_TIMEOUT_MS);

  describe.each(['dev', 'staging'])('the %s overlay', (overlay) => {
    it('builds, and every object validates strictly (Kubernetes 1.37, Strimzi CRDs)', async () => {
      const { text, objects } = built[overlay]!;
      const kinds = new Set(objects.map((o) => o.kind));
      for (const kind of ['Namespace', 'Kafka', 'KafkaNodePool', 'KafkaTopic', 'StatefulSet', 'Deployment'])
        expect(kinds, kind).toContain(kind);
      const summary = await kubeconform(tools, text);
      expect(summary.problems).toEqual([]);
      expect(summary.valid).toBe(objects.length);
    });

    it("declares Longhaul's topics as libs/kafka makes them, with the overlay's replication", () => {
      const { objects } = built[overlay]!;
      const replicas = overlay === 'dev' ? 1 : 3;
      const specs = Object.values(
        topicSpecs({
          topicPrefix: 'longhaul.',
          requestedPartitions: 12,
          eventsPartitions: 12,
          maxBodyBytes: 1024 * 1024,
          topicRetentionHours: 336,
          replicationFactor: replicas,
          minInsyncReplicas: overlay === 'dev' ? 1 : 2,
        }),
      );
      const topics = objects.filter((o) => o.kind === 'KafkaTopic');
      expect(topics.map((t) => (t['spec'] as { topicName: string }).topicName).sort()).toEqual(
        specs.map((s) => s.topic).sort(),
      );
      for (const spec of specs) {
        const topic = topics.find((t) => (t['spec'] as { topicName: string }).topicName === spec.topic)!;
        const s = topic['spec'] as { partitions: number; replicas: number; config: Record<string, unknown> };
        expect(s.partitions, spec.topic).toBe(spec.numPartitions);
        expect(s.replicas, spec.topic).toBe(spec.replicationFactor);
        for (const [key, value] of Object.entries(spec.configs ?? {}))
          expect(String(s.config[key]), `${spec.topic} ${key}`).toBe(value);
      }
    });

    it('puts everything in one namespace and keeps every container non-root with limits', () => {
      const { objects } = built[overlay]!;
      const namespace = overlay === 'dev' ? 'longhaul' : 'longhaul-staging';
      expect(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name)).toEqual([namespace]);
      for (const o of objects.filter((x) => x.kind !== 'Namespace'))
        expect(o.metadata.namespace, o.metadata.name).toBe(namespace);
      for (const o of objects.filter((x) => ['Deployment', 'StatefulSet', 'Job'].includes(x.kind))) {
        const pod = (
          o['spec'] as {
            template: {
              spec: {
                securityContext?: { runAsNonRoot?: boolean };
                containers: {
                  resources?: { limits?: unknown };
                  securityContext?: { readOnlyRootFilesystem?: boolean };
                }[];
              };
            };
          }
        ).template.spec;
        expect(pod.securityContext?.runAsNonRoot, o.metadata.name).toBe(true);
        for (const c of pod.containers) {
          expect(c.resources?.limits, o.metadata.name).toBeDefined();
          expect(c.securityContext?.readOnlyRootFilesystem, o.metadata.name).toBe(true);
        }
      }
    });
  });

  it('the dev overlay is one node of everything; staging keeps three', () => {
    const count = (overlay: string, kind: string) =>
      (built[overlay]!.objects.find((o) => o.kind === kind)!['spec'] as { replicas: number }).replicas;
    expect([count('dev', 'KafkaNodePool'), count('dev', 'StatefulSet')]).toEqual([1, 1]);
    expect([count('staging', 'KafkaNodePool'), count('staging', 'StatefulSet')]).toEqual([3, 3]);
  });
});
