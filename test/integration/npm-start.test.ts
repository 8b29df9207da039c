import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePortBlock } from '../helpers/ports';
import { repoRoot } from '../helpers/service-process';
import { testStack } from '../helpers/stack';
import { WaitAborted, waitFor } from '../helpers/wait';

interface Run {
  child: ChildProcess;
  output(): string;
  exited: Promise<number>;
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm start` exactly as a user runs it, in its own process group, on ports of its own. */
function npmStart(env: NodeJS.ProcessEnv): Run {
  const child = spawn('npm', ['start'], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal })),
  );
  const exited = ended.then(({ code, signal }) => code ?? (signal ? 128 : -1));
  return { child, output: () => out, exited, ended };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Distinct free ports for everything `npm start` listens on. */
async function portsEnv(): Promise<NodeJS.ProcessEnv> {
  // One block above the ephemeral range: the named ports first, the ops ports (base + 2, + 3,
  // + 11…) from +10.
  const base = await freePortBlock(40);
  return {
    LONGHAUL_HTTP_PORT: String(base),
    LONGHAUL_KAFKA_PORT: String(base + 1),
    LONGHAUL_KAFKA_CONTROLLER_PORT: String(base + 2),
    LONGHAUL_REGISTRY_PORT: String(base + 3),
    LONGHAUL_REGISTRY_MANAGEMENT_PORT: String(base + 4),
    LONGHAUL_MONGO_PORT: String(base + 5),
    LONGHAUL_POSTGRES_PORT: String(base + 6),
    LONGHAUL_PROMETHEUS_PORT: String(base + 7),
    LONGHAUL_OPS_BASE_PORT: String(base + 10),
  };
}

describe('npm start', () => {
  const dataDir = join(testStack().dataDir, 'npm-start');
  const runs: Run[] = [];
  afterAll(() => {
    for (const r of runs) {
      if (!r.child.pid || r.child.exitCode !== null || r.child.signalCode !== null) continue;
      try {
        process.kill(-r.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });

  it('says which port is taken and exits non-zero', async () => {
    const env = await portsEnv();
    const blocker: Server = createServer();
    const port = Number(env['LONGHAUL_HTTP_PORT']);
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const run = npmStart({ ...env, LONGHAUL_DATA_DIR: dataDir });
      runs.push(run);
      expect(await run.exited).not.toBe(0);
      expect(run.output()).toContain(`port ${port} (http) is already in use on 127.0.0.1; set LONGHAUL_HTTP_PORT`);
    } finally {
      blocker.close();
    }
  });

  it(
    'starts everything, restarts a service that dies, and leaves no process alive after Ctrl-C',
    { timeout: 300_000 },
    async () => {
      const env = await portsEnv();
      const run = npmStart({ ...env, LONGHAUL_DATA_DIR: dataDir, LONGHAUL_PROCESSORS: '2' });
      runs.push(run);
      await waitFor(
        'the ready banner',
        () => {
          if (run.child.exitCode !== null) throw new WaitAborted(`npm start exited early:\n${run.output()}`);
          return run.output().includes('press Ctrl-C to stop everything');
        },
        { timeoutMs: 150_000, intervalMs: 500 },
      );
      const api = `http://127.0.0.1:${env['LONGHAUL_HTTP_PORT']}`;
      expect(run.output()).toContain(`API            ${api}`);
      expect((await fetch(`${api}/readyz`)).status).toBe(200);
      // The development key it printed works: a job goes in and is readable at once.
      const devKey = /API key\s+(\S+) \(tenant dev/.exec(run.output())?.[1];
      expect(devKey).toBeDefined();
      const headers = { authorization: `Bearer ${devKey}`, 'content-type': 'application/json' };
      const posted = await fetch(`${api}/v1/jobs`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ type: 'sleep', payload: { ms: 10 } }),
      });
      expect(posted.status).toBe(202);
      const location = posted.headers.get('location')!;
      expect((await fetch(`${api}${location}`, { headers })).status).toBe(200);
      // Two processors split the requests topic as competing consumers.
      expect(run.output()).toMatch(/processor-1 .*joined consumer group/);
      expect(run.output()).toMatch(/processor-2 .*joined consumer group/);

      const pids = JSON.parse(readFileSync(join(dataDir, 'pids.json'), 'utf8')) as number[];
      // kafka, postgres, ferretdb, registry, ingress, projector, notifier, 2 processors, prometheus
      expect(pids.length).toBe(10);
      // Prometheus scrapes every service.
      const prometheus = `http://127.0.0.1:${env['LONGHAUL_PROMETHEUS_PORT']}`;
      expect(run.output()).toContain(`Prometheus     ${prometheus}`);
      await waitFor(
        'Prometheus to scrape the five services',
        async () => {
          const res = await fetch(`${prometheus}/api/v1/query?query=${encodeURIComponent('sum(up)')}`);
          const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
          return body.data.result[0]?.value[1] === '5';
        },
        { timeoutMs: 30_000, intervalMs: 1_000 },
      );
      // A service that dies is restarted with backoff, and the log says so.
      const processorPort = Number(env['LONGHAUL_OPS_BASE_PORT']) + 11;
      const victim = pids.at(-3)!; // processor-1
      process.kill(victim, 'SIGKILL');
      await waitFor(
        'the restart notice',
        () => /processor-\d exited \(code 128\); restarting in 1 s/.test(run.output()),
        {
          timeoutMs: 20_000,
        },
      );
      await waitFor(
        'processor-1 ready again',
        async () => (await fetch(`http://127.0.0.1:${processorPort}/readyz`)).ok,
        {
          timeoutMs: 60_000,
          intervalMs: 500,
        },
      );
      const allPids = [...pids, ...(JSON.parse(readFileSync(join(dataDir, 'pids.json'), 'utf8')) as number[])];

      // Ctrl-C in a terminal sends SIGINT to the whole foreground process group. npm re-raises
      // the signal on itself once its script has exited, so npm ends "killed by SIGINT" (130
      // in a shell) while our bootstrap underneath exits 0: either way, nothing is left.
      process.kill(-run.child.pid!, 'SIGINT');
      const end = await run.ended;
      expect(end.code === 0 || end.signal === 'SIGINT', `npm start ended with ${JSON.stringify(end)}`).toBe(true);
      expect(run.output()).toContain('stopped');
      const survivors = allPids.filter(alive);
      expect(survivors).toEqual([]);
      // The ports are free again, so a second `npm start` can follow at once.
      for (const key of [
        'LONGHAUL_HTTP_PORT',
        'LONGHAUL_KAFKA_PORT',
        'LONGHAUL_REGISTRY_PORT',
        'LONGHAUL_MONGO_PORT',
      ]) {
        const probe = createServer();
        await new Promise<void>((res, rej) => {
          probe.once('error', rej);
          probe.listen(Number(env[key]), '127.0.0.1', () => probe.close(() => res()));
        });
      }
    },
  );
});
