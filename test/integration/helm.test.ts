import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { consumerGroups, topicNames } from '@longhaul/kafka';
import { K8S_TOOL_VERSIONS, type K8sTools } from '@longhaul/local-stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CHART,
  helmTemplate,
  k8sTools,
  knownSettings,
  kubeconform,
  parseObjects,
  TOOLS_TIMEOUT_MS,
  type K8sObject,
} from '../helpers/k8s';
import { repoRoot } from '../helpers/service-process';

const run = promisify(execFile);
const DEFAULTS = join(CHART, 'ci', 'default-values.yaml');
const PRODUCTION = join(CHART, 'ci', 'production-values.yaml');

interface Container {
  name: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  envFrom?: { configMapRef?: { name: string } }[];
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
  startupProbe?: unknown;
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
}
interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
  securityContext?: Record<string, unknown>;
}

const podSpec = (o: K8sObject) => (o['spec'] as { template: { spec: PodSpec } }).template.spec;
const byKind = (objects: K8sObject[], kind: string) => objects.filter((o) => o.kind === kind);
const named = (objects: K8sObject[], kind: string, suffix: string) => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name.endsWith(suffix));
  if (!found) throw new Error(`no ${kind} *${suffix}`);
  return found;
};
const configOf = (objects: K8sObject[], component: string) =>
  named(objects, 'ConfigMap', `-${component}`)['data'] as Record<string, string>;

describe('the Helm chart', () => {
  let tools: K8sTools;
  const rendered: Record<string, K8sObject[]> = {};
  const texts: Record<string, string> = {};

  beforeAll(async () => {
    tools = await k8sTools();
    for (const [name, file] of [
      ['default', DEFAULTS],
      ['production', PRODUCTION],
    ] as const) {
      texts[name] = await helmTemplate(tools, { valuesFiles: [file] });
      rendered[name] = parseObjects(texts[name]);
    }
  }, TOOLS_TIMEOUT_MS);

  it('passes helm lint --strict with the default and the production-like values', async () => {
    for (const file of [DEFAULTS, PRODUCTION]) {
      const { stdout } = await run(tools.helm, [
        'lint',
        '--strict',
        '--kube-version',
        K8S_TOOL_VERSIONS.kubernetes,
        CHART,
        '--values',
        file,
      ]);
      expect(stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    }
  });

  describe.each(['default', 'production'])('rendered with the %s values', (name) => {
    const objects = () => rendered[name]!;
    const workloads = () => [...byKind(objects(), 'Deployment'), ...byKind(objects(), 'Job')];

    it('every object validates strictly against Kubernetes 1.37 and the CRD schemas', async () => {
      const summary = await kubeconform(tools, texts[name]!);
      expect(summary.problems).toEqual([]);
      expect(summary.valid).toBe(objects().length);
      expect(summary.skipped).toBe(0);
    });

    it('has a Deployment, a Service and a PodDisruptionBudget per service', () => {
      for (const component of ['ingress', 'processor', 'projector', 'notifier']) {
        const deployment = named(objects(), 'Deployment', `-${component}`);
        const labels = (deployment['spec'] as { selector: { matchLabels: Record<string, string> } }).selector
          .matchLabels;
        const pdb = named(objects(), 'PodDisruptionBudget', `-${component}`);
        expect((pdb['spec'] as { selector: { matchLabels: unknown } }).selector.matchLabels).toEqual(labels);
        named(objects(), 'Service', `-${component}`);
      }
    });

    it('every container has requests and limits, runs as non-root on a read-only root, escalates nothing', () => {
      for (const w of workloads()) {
        const spec = podSpec(w);
        expect(spec.securityContext?.['runAsNonRoot'], w.metadata.name).toBe(true);
        for (const c of spec.containers) {
          const where = `${w.metadata.name}/${c.name}`;
          for (const r of ['cpu', 'memory']) {
            expect(c.resources?.requests?.[r], `${where} requests ${r}`).toBeDefined();
            expect(c.resources?.limits?.[r], `${where} limits ${r}`).toBeDefined();
          }
          expect(c.securityContext?.['runAsNonRoot'], where).toBe(true);
          expect(c.securityContext?.['readOnlyRootFilesystem'], where).toBe(true);
          expect(c.securityContext?.['allowPrivilegeEscalation'], where).toBe(false);
          expect(c.securityContext?.capabilities?.drop, where).toEqual(['ALL']);
        }
      }
    });

    it('every service container has startup, liveness and readiness probes on /healthz and /readyz', () => {
      for (const d of byKind(objects(), 'Deployment')) {
        for (const c of podSpec(d).containers) {
          expect(JSON.stringify(c.startupProbe), d.metadata.name).toContain('/healthz');
          expect(JSON.stringify(c.livenessProbe), d.metadata.name).toContain('/healthz');
          expect(JSON.stringify(c.readinessProbe), d.metadata.name).toContain('/readyz');
        }
      }
    });

    it('starts each service with an entry point it really has', () => {
      for (const w of workloads()) {
        for (const c of podSpec(w).containers) {
          const entry = c.args?.[0] ?? '';
          const source = entry.replace(/\/dist\/(.+)\.js$/, '/src/$1.ts');
          expect(source, `${w.metadata.name}: ${entry}`).toMatch(/^services\/[a-z]+\/src\/[a-z-]+\.ts$/);
          expect(() => readFileSync(join(repoRoot, source)), source).not.toThrow();
        }
      }
    });

    it("scales the processors on the group and topic the processor's own settings name", () => {
      const config = configOf(objects(), 'processor');
      const prefix = config['LONGHAUL_TOPIC_PREFIX']!;
      const scaled = named(objects(), 'ScaledObject', '-processor')['spec'] as {
        scaleTargetRef: { name: string };
        minReplicaCount: number;
        maxReplicaCount: number;
        triggers: { type: string; metadata: Record<string, string> }[];
        advanced: {
          horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: number } } };
        };
      };
      const [trigger] = scaled.triggers;
      expect(trigger?.type).toBe('kafka');
      expect(trigger?.metadata['consumerGroup']).toBe(consumerGroups(prefix).processor.groupId);
      expect(trigger?.metadata['topic']).toBe(topicNames(prefix).requested);
      expect(trigger?.metadata['bootstrapServers']).toBe(config['LONGHAUL_KAFKA_BROKERS']);
      expect(trigger?.metadata['offsetResetPolicy']).toBe('earliest');
      expect(scaled.scaleTargetRef.name).toBe(named(objects(), 'Deployment', '-processor').metadata.name);
      expect(scaled.maxReplicaCount).toBeLessThanOrEqual(Number(config['LONGHAUL_REQUESTED_PARTITIONS']));
      expect(scaled.minReplicaCount).toBeGreaterThanOrEqual(1);
      expect(
        scaled.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds,
      ).toBeGreaterThan(0);
    });

    it("gives every pod more grace than its shutdown deadline (and the ingress's preStop sleep)", () => {
      for (const d of byKind(objects(), 'Deployment')) {
        const spec = podSpec(d);
        const component = d.metadata.labels?.['app.kubernetes.io/component'] ?? '';
        const shutdownMs = Number(configOf(objects(), component)['LONGHAUL_SHUTDOWN_TIMEOUT_MS']);
        const preStop = spec.containers[0]?.lifecycle?.preStop?.sleep?.seconds ?? 0;
        expect((spec.terminationGracePeriodSeconds ?? 30) * 1000, d.metadata.name).toBeGreaterThan(
          shutdownMs + preStop * 1000,
        );
      }
    });

    it('keeps secrets out of ConfigMaps and sets only settings the services read', () => {
      const known = knownSettings();
      const values = parse(readFileSync(name === 'default' ? DEFAULTS : PRODUCTION, 'utf8')) as {
        secrets: Record<string, string>;
        mongo: { uri?: string };
      };
      const secretValues = [values.secrets['apiKeys'], values.secrets['secretsKey'], values.mongo.uri].filter(
        (v): v is string => Boolean(v),
      );
      for (const cm of byKind(objects(), 'ConfigMap')) {
        if (cm.metadata.name.includes('-dashboard-')) continue;
        for (const [key, value] of Object.entries(cm['data'] as Record<string, string>)) {
          expect(key, `${cm.metadata.name}: ${key}`).not.toMatch(/KEY|SECRET|PASSWORD|TOKEN|MONGO_URL|USERNAME/);
          expect(value, `${cm.metadata.name}: ${key}`).not.toMatch(/:\/\/[^/\s]*:[^/\s]*@/);
          for (const secret of secretValues) expect(value, `${cm.metadata.name}: ${key}`).not.toContain(secret);
          expect(known.has(key), `${cm.metadata.name}: ${key} is read by no service`).toBe(true);
        }
      }
      for (const w of workloads()) {
        for (const c of podSpec(w).containers) {
          for (const e of c.env ?? []) {
            expect(known.has(e.name), `${w.metadata.name}: ${e.name} is read by no service`).toBe(true);
            if (/KEY|SECRET|PASSWORD|MONGO_URL/.test(e.name)) expect(e.value, e.name).toBeUndefined();
          }
        }
      }
    });
  });

  it('production: SASL/TLS reach KEDA through a TriggerAuthentication on the same Secret', () => {
    const objects = rendered['production']!;
    const auth = named(objects, 'TriggerAuthentication', '-processor-kafka')['spec'] as {
      secretTargetRef: { parameter: string; name: string; key: string }[];
    };
    expect(auth.secretTargetRef.map((r) => r.parameter)).toEqual(['username', 'password', 'ca']);
    expect(auth.secretTargetRef[0]?.name).toBe('longhaul-production');
    const trigger = (
      named(objects, 'ScaledObject', '-processor')['spec'] as { triggers: { metadata: Record<string, string> }[] }
    ).triggers[0]!;
    expect(trigger.metadata['sasl']).toBe('scram_sha512');
    expect(trigger.metadata['tls']).toBe('enable');
    expect(byKind(objects, 'Secret')).toEqual([]);
  });

  it('production: the PrometheusRule and dashboards are the files in deploy/', () => {
    const objects = rendered['production']!;
    const rule = named(objects, 'PrometheusRule', 'longhaul')['spec'] as { groups: unknown };
    const source = parse(readFileSync(join(repoRoot, 'deploy', 'prometheus', 'longhaul-rules.yml'), 'utf8')) as {
      groups: unknown;
    };
    expect(rule.groups).toEqual(source.groups);
    const overview = named(objects, 'ConfigMap', '-dashboard-overview');
    expect(overview.metadata.labels?.['grafana_dashboard']).toBe('1');
    const shipped = (overview['data'] as Record<string, string>)['longhaul-overview.json']!;
    const file = join(repoRoot, 'deploy', 'grafana', 'dashboards', 'longhaul-overview.json');
    expect(JSON.parse(shipped)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });

  it("KEDA's lagThreshold, the processor's concurrency and the dashboard's lag_threshold agree", () => {
    const values = parse(readFileSync(join(CHART, 'values.yaml'), 'utf8')) as {
      processor: { concurrency: number; autoscaling: { lagThreshold: number } };
    };
    const dashboard = JSON.parse(
      readFileSync(join(repoRoot, 'deploy', 'grafana', 'dashboards', 'longhaul-overview.json'), 'utf8'),
    ) as { templating: { list: { name: string; query: string }[] } };
    const constant = dashboard.templating.list.find((v) => v.name === 'lag_threshold');
    const processorDefault = /LONGHAUL_PROCESSOR_CONCURRENCY', \{ default: (\d+)/.exec(
      readFileSync(join(repoRoot, 'services', 'processor', 'src', 'config.ts'), 'utf8'),
    )?.[1];
    expect(values.processor.autoscaling.lagThreshold).toBe(16);
    expect(values.processor.concurrency).toBe(Number(processorDefault));
    expect(Number(constant?.query)).toBe(values.processor.autoscaling.lagThreshold);
  });

  it('kubeconform is not vacuous: an unknown field or a wrong type is refused', async () => {
    const text = texts['default']!.replace('revisionHistoryLimit: 5', 'revisionHistoryLimit: 5\n  replicaz: 3');
    const unknown = await kubeconform(tools, text);
    expect(unknown.invalid).toBeGreaterThan(0);
    const scaled = texts['default']!.replace(/maxReplicaCount: 12/, 'maxReplicaCount: "twelve"');
    const wrongType = await kubeconform(tools, scaled);
    expect(wrongType.problems.join('\n')).toMatch(/ScaledObject/);
  });

  describe('bad values fail rendering with a clear message', () => {
    const fails = (set: string[], message: RegExp) =>
      expect(helmTemplate(tools, { valuesFiles: [DEFAULTS], set })).rejects.toThrow(message);

    it('more processors than request partitions', () =>
      fails(
        ['processor.autoscaling.maxReplicaCount=20'],
        /processor.autoscaling.maxReplicaCount \(20\) must not exceed kafka.requestedPartitions \(12\)/,
      ));

    it('no Kafka address', () => fails(['kafka.bootstrapServers='], /kafka.bootstrapServers is required/));

    it('a malformed Kafka address', () => fails(['kafka.bootstrapServers=kafka'], /kafka.bootstrapServers/));

    it('a wrong type', () => fails(['processor.concurrency=lots'], /processor.concurrency.*(integer|Invalid type)/s));

    it('an unknown field', () => fails(['processor.replicaz=3'], /replicaz/));

    it('scaling to zero without accepting its risk', () =>
      fails(['processor.autoscaling.minReplicaCount=0'], /allowScaleToZero=true/));

    it('a grace period within the shutdown deadline', () =>
      fails(
        ['processor.terminationGracePeriodSeconds=20'],
        /processor.terminationGracePeriodSeconds \(20\) must exceed/,
      ));

    it('a secret given as a plain setting', () => fails(['config.env.LONGHAUL_API_KEYS=a:b'], /LONGHAUL_API_KEYS/));

    it('no API keys and no existing Secret', () => fails(['secrets.apiKeys='], /secrets.apiKeys is required/));

    it('min.insync.replicas not below the replication factor', () =>
      fails(
        ['kafka.minInsyncReplicas=3'],
        /kafka.minInsyncReplicas \(3\) must be below kafka.replicationFactor \(3\)/,
      ));
  });
});
