import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/service-process';

// hadolint is a Haskell program no registry this project uses ships, and skaffold's Go module
// is not served by the module proxy; these are the checks made instead (docs/kubernetes.md).

const dockerfile = readFileSync(join(repoRoot, 'deploy', 'Dockerfile'), 'utf8');
/** Instructions with their continuation lines joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op!.toUpperCase(), args: rest.join(' ') };
  });
const stages = instructions.filter((i) => i.op === 'FROM');
const finalStage = instructions.slice(instructions.lastIndexOf(stages.at(-1)!));

describe('deploy/Dockerfile', () => {
  it('builds on the pinned Node of .nvmrc and package.json, in named stages', () => {
    const pinned = readFileSync(join(repoRoot, '.nvmrc'), 'utf8').trim();
    const engines = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } })
      .engines.node;
    expect(instructions.find((i) => i.op === 'ARG' && i.args.startsWith('NODE_VERSION='))?.args).toBe(
      `NODE_VERSION=${pinned}`,
    );
    expect(engines).toBe(pinned);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.args).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim( AS [a-z-]+)?$/);
    for (const s of stages.slice(0, -1)) expect(s.args).toMatch(/ AS [a-z-]+$/);
  });

  it('installs from the lock file only, and the runtime without dev dependencies', () => {
    const runs = instructions.filter((i) => i.op === 'RUN').map((i) => i.args);
    expect(runs.some((r) => /npm install\b/.test(r))).toBe(false);
    expect(runs.filter((r) => /npm ci\b/.test(r)).length).toBe(2);
    expect(runs.some((r) => /npm ci\b.*--omit=dev/.test(r))).toBe(true);
  });

  it('runs as a numeric non-root user, with exec-form entry point, no HEALTHCHECK, no ADD, no cd', () => {
    const user = finalStage.filter((i) => i.op === 'USER').at(-1)?.args;
    expect(user).toMatch(/^[1-9][0-9]*(:[1-9][0-9]*)?$/);
    expect(instructions.some((i) => i.op === 'HEALTHCHECK')).toBe(false);
    expect(instructions.some((i) => i.op === 'ADD')).toBe(false);
    expect(instructions.some((i) => i.op === 'RUN' && /(^|&&\s*)cd\s/.test(i.args))).toBe(false);
    for (const op of ['ENTRYPOINT', 'CMD']) {
      const args = finalStage.find((i) => i.op === op)?.args ?? '';
      expect(() => JSON.parse(args) as unknown, op).not.toThrow();
    }
    for (const w of instructions.filter((i) => i.op === 'WORKDIR')) expect(w.args).toMatch(/^\//);
  });

  it("starts entry points the services really have (CMD and the header's list)", () => {
    const cmd = JSON.parse(finalStage.find((i) => i.op === 'CMD')!.args) as string[];
    const listed = [...dockerfile.matchAll(/services\/[a-z<>|]+\/dist\/[a-z-]+\.js/g)].flatMap((m) => {
      const alt = /<([a-z|]+)>/.exec(m[0]);
      return alt ? alt[1]!.split('|').map((s) => m[0].replace(alt[0], s)) : [m[0]];
    });
    expect(listed.length).toBeGreaterThanOrEqual(6);
    for (const entry of [...cmd, ...listed]) {
      const source = entry.replace(/\/dist\/(.+)\.js$/, '/src/$1.ts');
      expect(existsSync(join(repoRoot, source)), source).toBe(true);
    }
    // The CLI's entry is its package's bin, and its runtime dependencies go into the image.
    const cliBin = /libs\/cli\/bin\/[a-z.]+/.exec(dockerfile)?.[0];
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'libs', 'cli', 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(cliBin).toBe(`libs/cli/${pkg.bin['longhaul']}`);
    expect(existsSync(join(repoRoot, cliBin!))).toBe(true);
    expect(dockerfile).toMatch(/npm ci --omit=dev[\s\S]*--workspace=libs\/cli/);
  });

  it('copies only what exists and what .dockerignore lets through', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#') && !l.startsWith('!'));
    for (const copy of instructions.filter((i) => i.op === 'COPY' && !i.args.includes('--from'))) {
      const sources = copy.args.split(/\s+/).slice(0, -1);
      for (const source of sources) {
        expect(existsSync(join(repoRoot, source)), source).toBe(true);
        expect(ignored, source).not.toContain(source);
      }
    }
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '.git', '.longhaul']));
  });
});

describe('skaffold.yaml', () => {
  const config = parse(readFileSync(join(repoRoot, 'skaffold.yaml'), 'utf8')) as Record<string, unknown> & {
    build: { artifacts: { image: string; docker: { dockerfile: string } }[] };
    manifests: { kustomize: { paths: string[] } };
    deploy: { helm: { releases: { name: string; chartPath: string; valuesFiles: string[]; namespace: string }[] } };
    portForward: { resourceType: string; resourceName: string; port: number; namespace: string }[];
    profiles: { name: string; patches?: { op: string; path: string }[] }[];
  };

  it('is a skaffold v4beta11 Config with only known top-level fields', () => {
    expect(config['apiVersion']).toBe('skaffold/v4beta11');
    expect(config['kind']).toBe('Config');
    const known = [
      'apiVersion',
      'kind',
      'metadata',
      'requires',
      'build',
      'test',
      'manifests',
      'deploy',
      'portForward',
      'resourceSelector',
      'verify',
      'customActions',
      'profiles',
    ];
    for (const key of Object.keys(config)) expect(known, key).toContain(key);
  });

  it('builds the image from deploy/Dockerfile, deploys k8s/ then the chart with values files that exist', () => {
    expect(config.build.artifacts.map((a) => a.docker.dockerfile)).toEqual(['deploy/Dockerfile']);
    for (const p of config.manifests.kustomize.paths)
      expect(existsSync(join(repoRoot, p, 'kustomization.yaml')), p).toBe(true);
    const [release] = config.deploy.helm.releases;
    expect(existsSync(join(repoRoot, release!.chartPath, 'Chart.yaml'))).toBe(true);
    for (const f of release!.valuesFiles) expect(existsSync(join(repoRoot, f)), f).toBe(true);
  });

  it("forwards the API: the chart's ingress Service of that release, in its namespace", () => {
    const [release] = config.deploy.helm.releases;
    const [forward] = config.portForward;
    // The chart names objects <release> when the release name contains "longhaul" (_helpers.tpl).
    expect(release!.name).toContain('longhaul');
    expect(forward).toMatchObject({ resourceType: 'service', resourceName: `${release!.name}-ingress`, port: 80 });
    expect(forward!.namespace).toBe(release!.namespace);
  });

  it('has a local and a render profile, whose patches point at fields that exist', () => {
    expect(config.profiles.map((p) => p.name)).toEqual(['local', 'render']);
    for (const profile of config.profiles) {
      for (const patch of profile.patches ?? []) {
        const target = patch.path
          .split('/')
          .slice(1)
          .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], config);
        expect(target, `${profile.name}: ${patch.path}`).toBeDefined();
      }
    }
    const local = config.profiles.find((p) => p.name === 'local')!;
    const paths = local.patches!.find((p) => p.path === '/manifests/kustomize/paths/0') as unknown as { value: string };
    expect(existsSync(join(repoRoot, paths.value, 'kustomization.yaml'))).toBe(true);
  });
});
