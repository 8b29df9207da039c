import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runLogged } from './exec';
import { once } from './install';
import { findJava } from './java';
import { crdToJsonSchemas, standaloneKindSchemas } from './k8s-schemas';

/**
 * The tools that render and validate the Kubernetes files (helm/, k8s/), installed once into
 * the user cache from the registries this project may use (docs/kubernetes.md says why each):
 * helm, kustomize and kubeconform built from their Go modules; Kubernetes' JSON schemas from
 * the PyPI package kubernetes-validate; KEDA's and the Prometheus operator's CRDs from their Go
 * modules and Strimzi's generated from its Maven artifacts, turned into kubeconform's JSON schemas.
 */
export const K8S_TOOL_VERSIONS = {
  helm: 'v3.22.0',
  /** v5.8.3 needs Go 1.27; v5.8.2 builds with the machine's 1.26. */
  kustomize: 'v5.8.2',
  kubeconform: 'v0.8.0',
  /** The Kubernetes version whose schemas the manifests are validated against. */
  kubernetes: '1.37.0',
  /** PyPI package carrying the schemas of that version (kubernetes_validate/kubernetes-json-schema). */
  kubernetesValidate: '1.37.0',
  keda: 'v2.21.0',
  /** Strimzi's API classes and its CRD generator (Maven Central): the CRDs are generated from them. */
  strimzi: '1.2.0',
  prometheusOperator: 'v0.85.0',
} as const;

export interface K8sTools {
  readonly helm: string;
  readonly kustomize: string;
  readonly kubeconform: string;
  /** kubeconform -schema-location arguments: Kubernetes' kinds, then the CRDs. */
  readonly schemaLocations: readonly string[];
}

/**
 * Compiles at once: every core by default (the first `npm test` on a new machine builds helm,
 * kustomize and kubeconform while lint and unit tests run); LONGHAUL_GO_BUILD_PROCS lowers it on
 * a shared machine.
 */
const goBuildProcs = (): string => process.env['LONGHAUL_GO_BUILD_PROCS'] ?? String(Math.max(1, cpus().length));

const goEnv = (gobin: string): NodeJS.ProcessEnv => ({
  ...process.env,
  GOBIN: gobin,
  GOFLAGS: '-mod=mod',
  GOTOOLCHAIN: 'local',
  GOMAXPROCS: goBuildProcs(),
});

async function installGoTool(
  cacheDir: string,
  say: (m: string) => void,
  name: string,
  pkg: string,
  version: string,
): Promise<string> {
  const target = join(cacheDir, `${name}-${version}`);
  await once(target, say, `${name} ${version} (Go module ${pkg}, built from source)`, async (tmp) => {
    const procs = goBuildProcs();
    await runLogged('go', ['install', '-p', procs, '-trimpath', `${pkg}@${version}`], {
      cwd: tmp,
      env: goEnv(tmp),
      logFile: join(cacheDir, 'logs', `install-${name}.log`),
    });
  });
  return join(target, name);
}

/** A Go module's files (the read-only module cache copy). */
function goModuleDir(module: string, version: string, cwd: string): string {
  const out = execFileSync('go', ['mod', 'download', '-json', `${module}@${version}`], {
    cwd,
    env: goEnv(cwd),
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

/** Kubernetes' schemas, one standalone strict JSON schema per kind, named as kubeconform looks them up. */
export async function installKubernetesSchemas(cacheDir: string, say: (m: string) => void): Promise<string> {
  const v = K8S_TOOL_VERSIONS.kubernetesValidate;
  const target = join(cacheDir, `kubernetes-schemas-${K8S_TOOL_VERSIONS.kubernetes}`);
  await once(
    target,
    say,
    `Kubernetes ${K8S_TOOL_VERSIONS.kubernetes} JSON schemas (PyPI kubernetes-validate ${v})`,
    async (tmp) => {
      const logFile = join(cacheDir, 'logs', 'install-kubernetes-schemas.log');
      const dl = join(tmp, 'download');
      await runLogged('python3', ['-m', 'pip', 'download', '--no-deps', '-d', dl, `kubernetes-validate==${v}`], {
        logFile,
      });
      const wheel = readdirSync(dl).find((f) => f.endsWith('.whl'));
      if (!wheel) throw new Error(`pip left no kubernetes-validate wheel; see ${logFile}`);
      const folder = `kubernetes_validate/kubernetes-json-schema/v${K8S_TOOL_VERSIONS.kubernetes}-local-strict`;
      await runLogged('unzip', ['-q', join(dl, wheel), `${folder}/*`, '-d', join(tmp, 'unpacked')], { logFile });
      const source = join(tmp, 'unpacked', folder);
      const files = Object.fromEntries(
        readdirSync(source).map((f) => [f, JSON.parse(readFileSync(join(source, f), 'utf8')) as unknown]),
      );
      const out = join(tmp, 'schemas');
      mkdirSync(out);
      for (const [file, schema] of Object.entries(standaloneKindSchemas(files))) {
        writeFileSync(join(out, file), JSON.stringify(schema));
      }
      rmSync(dl, { recursive: true, force: true });
      rmSync(join(tmp, 'unpacked'), { recursive: true, force: true });
    },
  );
  return join(target, 'schemas');
}

/** CRD files of Go modules (KEDA's, the Prometheus operator's) as kubeconform schemas `<kind>_<version>.json`. */
export async function installCrdSchemas(cacheDir: string, say: (m: string) => void): Promise<string> {
  const { keda, prometheusOperator, strimzi } = K8S_TOOL_VERSIONS;
  const target = join(
    cacheDir,
    `crd-schemas-keda-${keda}-prometheus-operator-${prometheusOperator}-strimzi-${strimzi}`,
  );
  await once(
    target,
    say,
    `CRD schemas (KEDA ${keda}, Prometheus operator ${prometheusOperator}, Strimzi ${strimzi})`,
    async (tmp) => {
      const sources = [
        { dir: join(goModuleDir('github.com/kedacore/keda/v2', keda, tmp), 'config', 'crd', 'bases') },
        {
          dir: join(
            goModuleDir('github.com/prometheus-operator/prometheus-operator', prometheusOperator, tmp),
            'example',
            'prometheus-operator-crd',
          ),
        },
      ];
      const texts = [
        ...sources.flatMap(({ dir }) =>
          readdirSync(dir)
            .filter((f) => f.endsWith('.yaml'))
            .map((f) => readFileSync(join(dir, f), 'utf8')),
        ),
        ...(await generateStrimziCrds(cacheDir, tmp)),
      ];
      const out = join(tmp, 'schemas');
      mkdirSync(out);
      for (const text of texts) {
        for (const doc of parseAllDocuments(text)) {
          for (const [name, schema] of Object.entries(crdToJsonSchemas(doc.toJS() as unknown))) {
            mkdirSync(dirname(join(out, name)), { recursive: true });
            writeFileSync(join(out, name), JSON.stringify(schema));
          }
        }
      }
      rmSync(join(tmp, 'strimzi'), { recursive: true, force: true });
    },
  );
  return join(target, 'schemas');
}

const STRIMZI_KINDS = {
  Kafka: 'io.strimzi.api.kafka.model.kafka.Kafka',
  KafkaNodePool: 'io.strimzi.api.kafka.model.nodepool.KafkaNodePool',
  KafkaTopic: 'io.strimzi.api.kafka.model.topic.KafkaTopic',
  KafkaUser: 'io.strimzi.api.kafka.model.user.KafkaUser',
} as const;

/**
 * Strimzi publishes no CRD files to a registry, but its API classes (io.strimzi:api) and the
 * generator it makes its CRDs with (io.strimzi:crd-generator) are on Maven Central: run one on
 * the other, as Strimzi's build does.
 */
async function generateStrimziCrds(cacheDir: string, tmp: string): Promise<string[]> {
  const v = K8S_TOOL_VERSIONS.strimzi;
  const logFile = join(cacheDir, 'logs', 'install-strimzi-crds.log');
  const dep = (a: string) =>
    `<dependency><groupId>io.strimzi</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  const pom = `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>dev.longhaul.local</groupId><artifactId>strimzi-crds</artifactId><version>1</version><packaging>pom</packaging>
  <dependencies>${dep('api')}${dep('crd-generator')}</dependencies></project>\n`;
  const work = join(tmp, 'strimzi');
  mkdirSync(work);
  writeFileSync(join(work, 'pom.xml'), pom);
  await runLogged(
    'mvn',
    ['-B', '-q', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${join(work, 'libs')}`],
    { cwd: work, logFile },
  );
  const java = findJava(21, process.env);
  const outputs = Object.entries(STRIMZI_KINDS).map(([kind, cls]) => ({ cls, file: join(work, `${kind}.yaml`) }));
  await runLogged(
    java.bin,
    [
      '-cp',
      `${join(work, 'libs')}/*`,
      'io.strimzi.crdgenerator.CrdGenerator',
      '--yaml',
      ...outputs.map((o) => `${o.cls}=${o.file}`),
    ],
    { cwd: work, logFile },
  );
  return outputs.map((o) => readFileSync(o.file, 'utf8'));
}

/** Every tool and schema set, installed on first use (a few minutes of Go builds the first time). */
export async function installK8sTools(cacheDir: string, say: (m: string) => void): Promise<K8sTools> {
  // One after another: each Go build already takes the core it is given.
  const helm = await installGoTool(cacheDir, say, 'helm', 'helm.sh/helm/v3/cmd/helm', K8S_TOOL_VERSIONS.helm);
  const kustomize = await installGoTool(
    cacheDir,
    say,
    'kustomize',
    'sigs.k8s.io/kustomize/kustomize/v5',
    K8S_TOOL_VERSIONS.kustomize,
  );
  const kubeconform = await installGoTool(
    cacheDir,
    say,
    'kubeconform',
    'github.com/yannh/kubeconform/cmd/kubeconform',
    K8S_TOOL_VERSIONS.kubeconform,
  );
  const kinds = await installKubernetesSchemas(cacheDir, say);
  const crds = await installCrdSchemas(cacheDir, say);
  return {
    helm,
    kustomize,
    kubeconform,
    schemaLocations: [
      `${kinds}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
      `${crds}/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json`,
    ],
  };
}
