import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { installK8sTools, K8S_TOOL_VERSIONS, type K8sTools } from '@longhaul/local-stack';
import { parseAllDocuments } from 'yaml';
import { repoRoot } from './service-process';
import { testStack } from './stack';

const run = promisify(execFile);

export const CHART = join(repoRoot, 'helm', 'longhaul');

/** helm, kustomize, kubeconform and the schemas, installed on first use (long the first time: Go builds). */
export function k8sTools(): Promise<K8sTools> {
  return installK8sTools(testStack().cacheDir, (m) => process.stderr.write(`k8s tools | ${m}\n`));
}

/** The first run builds helm, kustomize and kubeconform from source on one core. */
export const TOOLS_TIMEOUT_MS = 60 * 60_000;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

export function parseObjects(yamlText: string): K8sObject[] {
  return parseAllDocuments(yamlText)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null && typeof o === 'object');
}

/** `helm template` of the chart; rejects with helm's message when rendering fails. */
export async function helmTemplate(
  tools: K8sTools,
  opts: { valuesFiles?: string[]; set?: string[]; release?: string },
): Promise<string> {
  const args = ['template', opts.release ?? 'jobs', CHART, '--namespace', 'longhaul'];
  args.push('--kube-version', K8S_TOOL_VERSIONS.kubernetes);
  for (const f of opts.valuesFiles ?? []) args.push('--values', f);
  for (const s of opts.set ?? []) args.push('--set', s);
  try {
    const { stdout } = await run(tools.helm, args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(e.stderr || e.message);
  }
}

export interface KubeconformSummary {
  valid: number;
  invalid: number;
  errors: number;
  skipped: number;
  /** One line per object that is not valid: kind, name, message. */
  problems: string[];
}

/** kubeconform -strict over the manifests: every object against Kubernetes' or its CRD's schema. */
export async function kubeconform(tools: K8sTools, yamlText: string): Promise<KubeconformSummary> {
  const dir = mkdtempSync(join(tmpdir(), 'longhaul-kubeconform-'));
  const file = join(dir, 'manifests.yaml');
  writeFileSync(file, yamlText);
  const args = ['-strict', '-summary', '-output', 'json'];
  for (const location of tools.schemaLocations) args.push('-schema-location', location);
  args.push(file);
  try {
    const { stdout } = await run(tools.kubeconform, args, { maxBuffer: 64 * 1024 * 1024 }).catch(
      (err: { stdout?: string; stderr?: string }) => {
        if (!err.stdout) throw new Error(err.stderr ?? 'kubeconform failed');
        return { stdout: err.stdout };
      },
    );
    const report = JSON.parse(stdout) as {
      resources?: { kind: string; name: string; status: string; msg: string }[];
      summary: { valid: number; invalid: number; errors: number; skipped: number };
    };
    return {
      ...report.summary,
      problems: (report.resources ?? [])
        .filter((r) => r.status !== 'statusValid')
        .map((r) => `${r.kind} ${r.name}: ${r.status} ${r.msg}`),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every LONGHAUL_* variable the services and libs read (named in their sources). */
export function knownSettings(): Set<string> {
  const names = new Set<string>();
  for (const top of ['libs', 'services']) {
    for (const pkg of readdirSync(join(repoRoot, top))) {
      const src = join(repoRoot, top, pkg, 'src');
      let files: string[] = [];
      try {
        files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
          (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
        );
      } catch {
        continue;
      }
      for (const f of files) {
        for (const m of readFileSync(join(src, f), 'utf8').matchAll(/'(LONGHAUL_[A-Z0-9_]+)'/g)) names.add(m[1]!);
      }
    }
  }
  return names;
}
