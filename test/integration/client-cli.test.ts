import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LonghaulClient } from '@longhaul/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLonghaul } from '../helpers/cli';
import { sdkClient } from '../helpers/client';
import { startIngress, type IngressUnderTest } from '../helpers/ingress';
import { startProcessor } from '../helpers/processors';
import { startProjector } from '../helpers/projector';
import type { WorkerUnderTest } from '../helpers/service-process';
import { adminKey, tenants } from '../helpers/tenants';

/** The percentages a terminal showed, in order (each redraw of the bar). */
const percentages = (screen: string) => [...screen.matchAll(/\] +(\d+)%/g)].map((m) => Number(m[1]));

describe('the longhaul CLI against the real stack', () => {
  let api: IngressUnderTest;
  let client: LonghaulClient;
  let env: NodeJS.ProcessEnv;
  const workers: WorkerUnderTest[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'longhaul-cli-'));

  beforeAll(async () => {
    api = await startIngress();
    ({ client } = sdkClient(api));
    workers.push(await startProjector(api), await startProcessor(api));
    env = { LONGHAUL_API_URL: api.url, LONGHAUL_API_KEY: tenants.acme.key, LONGHAUL_ADMIN_KEY: adminKey };
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workers.filter((w) => w.alive()).map((w) => w.terminate()));
    await api?.stop();
  });

  it('watch, in a terminal, redraws a progress bar with the stage as the job advances and ends with the result', async () => {
    const { id } = await client.jobs.submit({ type: 'report.generate', payload: { steps: 5, stepMs: 700 } });
    const run = await runLonghaul(['watch', id], env, { tty: true });
    expect(run.code, run.stdout).toBe(0);
    const seen = percentages(run.stdout);
    // The bar advanced in place: several distinct values, never backwards, ending full.
    expect(new Set(seen).size, run.stdout).toBeGreaterThanOrEqual(3);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(seen.at(-1)).toBe(100);
    expect(run.stdout).toContain('\r\x1b[2K');
    expect(run.stdout).toMatch(/running +step \d of 5/);
    expect(run.stdout).toContain(`job ${id} succeeded: `);
  });

  it('submit --wait in a terminal follows a failing job and exits 1 with its error', async () => {
    const run = await runLonghaul(
      ['submit', 'fail', '--payload', '{"message":"the upstream said no"}', '--max-attempts', '1', '--wait'],
      env,
      { tty: true },
    );
    expect(run.code, run.stdout).toBe(1);
    expect(run.stdout).toMatch(/accepted job [0-9A-Z]{26} \(fail\)/);
    expect(run.stdout).toMatch(/job [0-9A-Z]{26} failed: .*the upstream said no/);
  });

  it('--json output parses: submit from a file, status, list, watch (one event per line), lag', async () => {
    const file = join(dir, 'payload.json');
    writeFileSync(file, JSON.stringify({ steps: 2, stepMs: 200 }));
    const submitted = await runLonghaul(
      ['--json', 'submit', 'report.generate', '--payload', `@${file}`, '--wait'],
      env,
    );
    expect(submitted.code, submitted.stderr).toBe(0);
    const job = JSON.parse(submitted.stdout) as { id: string; status: string; result: unknown };
    expect(job).toMatchObject({ status: 'succeeded' });

    const status = await runLonghaul(['status', job.id, '--json'], env);
    expect(JSON.parse(status.stdout)).toMatchObject({ id: job.id, status: 'succeeded', type: 'report.generate' });

    const list = await runLonghaul(
      ['--json', 'list', '--type', 'report.generate', '--limit', '50', '--since', '1h'],
      env,
    );
    expect((JSON.parse(list.stdout) as { items: { id: string }[] }).items.map((j) => j.id)).toContain(job.id);

    const watched = await runLonghaul(['--json', 'watch', job.id], env);
    const events = watched.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: string; job: { status: string } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ event: 'job.state', job: { status: 'succeeded' } });

    const lag = await runLonghaul(['--json', 'lag', '--lag-threshold', '5'], env);
    expect(lag.code, lag.stderr).toBe(0);
    const parsed = JSON.parse(lag.stdout) as {
      partitions: unknown[];
      totalLag: number;
      keda: { replicas: number; lagThreshold: number };
    };
    expect(parsed.partitions).toHaveLength(2);
    expect(parsed.keda.lagThreshold).toBe(5);
    expect(parsed.keda.replicas).toBe(parsed.totalLag === 0 ? 0 : Math.min(2, Math.ceil(parsed.totalLag / 5)));
  });

  it('people-readable output: status, list, lag, cancel', async () => {
    const { id } = await client.jobs.submit({ type: 'sleep', payload: { ms: 20_000 } });
    const status = await runLonghaul(['status', id], env);
    expect(status.stdout).toMatch(new RegExp(`^id: +${id}$`, 'm'));
    expect(status.stdout).toMatch(/^type: +sleep$/m);
    const list = await runLonghaul(['list', '--limit', '5'], env);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID +TYPE +STATUS +PROGRESS +ATTEMPT +CREATED$/);
    expect(list.stdout).toContain(id);
    const cancel = await runLonghaul(['cancel', id], env);
    expect(cancel.code, cancel.stderr).toBe(0);
    expect(cancel.stdout).toContain(`cancel requested for job ${id}`);
    await client.jobs.wait(id, { timeoutMs: 30_000 });
    const again = await runLonghaul(['cancel', id], env);
    expect(again.code).toBe(3);
    expect(again.stderr).toContain('Job Already Finished (409)');
    const lag = await runLonghaul(['lag'], env);
    expect(lag.stdout).toMatch(/^PARTITION +COMMITTED +END +LAG$/m);
    expect(lag.stdout).toMatch(/total lag \d+ → KEDA would run \d+ processors?/);
  });

  it('wrong input: a clear message and an exit code that says what went wrong', async () => {
    const invalid = await runLonghaul(['submit', 'report.generate', '--payload', '{"steps":"many","stepMs":1}'], env);
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain('Unprocessable Content (422)');
    expect(invalid.stderr).toContain('/payload/steps');

    const notJson = await runLonghaul(['submit', 'sleep', '--payload', '{ms: 5}'], env);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('the --payload value is not JSON');

    const unknownOption = await runLonghaul(['list', '--colour'], env);
    expect(unknownOption.code).toBe(2);
    expect(unknownOption.stderr).toContain("unknown option '--colour'");

    const missing = await runLonghaul(['status', '01JZZZZZZZZZZZZZZZZZZZZZZZ'], env);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('Not Found (404)');

    const wrongKey = await runLonghaul(['list'], {
      ...env,
      LONGHAUL_API_KEY: 'wrong_key_0123456789abcdefghijklmnopqrstu',
    });
    expect(wrongKey.code).toBe(5);
    expect(wrongKey.stderr).toContain('Unauthorized (401)');

    const unreachable = await runLonghaul(['list', '--url', 'http://127.0.0.1:1'], env);
    expect(unreachable.code).toBe(6);
    expect(unreachable.stderr).toContain('cannot reach the API');

    const badJson = await runLonghaul(['--json', 'status', '01JZZZZZZZZZZZZZZZZZZZZZZZ'], env);
    expect(JSON.parse(badJson.stderr)).toMatchObject({ error: { status: 404, type: '/problems/not-found' } });
  });

  it('webhooks and operator commands', async () => {
    const added = await runLonghaul(
      ['--json', 'webhooks', 'add', 'https://hooks.example.com/longhaul', '--events', 'job.failed'],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    const sub = JSON.parse(added.stdout) as { id: string; secret: string };
    expect(sub.secret).toMatch(/^whsec_/);
    const list = await runLonghaul(['webhooks', 'list'], env);
    expect(list.stdout).toMatch(new RegExp(`${sub.id} +https://hooks.example.com/longhaul +job.failed +enabled`));
    const rotated = await runLonghaul(['webhooks', 'rotate', sub.id], env);
    expect(rotated.code).toBe(0);
    expect(rotated.stderr).toContain('the secret is shown only now');
    expect((await runLonghaul(['webhooks', 'deliveries', sub.id], env)).code).toBe(0);
    expect((await runLonghaul(['webhooks', 'replay', sub.id, '--since', '1h', '--json'], env)).stdout).toContain(
      '"replayed": 0',
    );
    expect((await runLonghaul(['webhooks', 'replay', sub.id], env)).code).toBe(2);
    expect((await runLonghaul(['webhooks', 'remove', sub.id], env)).code).toBe(0);

    const failed = await client.jobs.run(
      { type: 'fail', payload: {}, options: { maxAttempts: 1 } },
      { timeoutMs: 30_000 },
    );
    const letters = await runLonghaul(['dead-letters', 'list', '--tenant', 'acme'], env);
    expect(letters.stdout).toContain(failed.id);
    const show = await runLonghaul(['dead-letters', 'show', failed.id], env);
    expect(show.stdout).toMatch(/^redrivable: +yes$/m);
    const redrive = await runLonghaul(['--json', 'dead-letters', 'redrive', failed.id], env);
    expect(JSON.parse(redrive.stdout)).toMatchObject({ results: [{ outcome: 'redriven', jobId: failed.id }] });

    expect((await runLonghaul(['pause', 'cpu.hash', '--reason', 'maintenance'], env)).stdout).toContain(
      'paused cpu.hash (maintenance)',
    );
    expect((await runLonghaul(['job-types'], env)).stdout).toMatch(/cpu\.hash +paused +maintenance/);
    expect((await runLonghaul(['resume', 'cpu.hash'], env)).stdout).toContain('resumed cpu.hash');
    // Operator commands need the admin key; a tenant key alone is refused by the API.
    const noAdmin = await runLonghaul(['pause', 'cpu.hash'], { ...env, LONGHAUL_ADMIN_KEY: tenants.acme.key });
    expect(noAdmin.code).toBe(5);
  });
});
