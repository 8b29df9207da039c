import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { promtoolPath } from '@longhaul/local-stack';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULE_TESTS_FILE, RULES_FILE } from '../helpers/prometheus';
import { testStack } from '../helpers/stack';

const run = promisify(execFile);

describe('alert rules: promtool', () => {
  let promtool: string;
  beforeAll(async () => {
    promtool = await promtoolPath(testStack().cacheDir);
  }, 120_000);

  it('promtool check rules passes', async () => {
    const { stdout } = await run(promtool, ['check', 'rules', RULES_FILE]);
    expect(stdout).toMatch(/SUCCESS: 9 rules found/);
  });

  it('promtool test rules passes: each alert fires on its fault and resolves after', async () => {
    const { stdout, stderr } = await run(promtool, ['test', 'rules', RULE_TESTS_FILE]).catch(
      (err: { stdout: string; stderr: string }) => err,
    );
    expect(`${stdout}${stderr}`).toMatch(/SUCCESS/);
    expect(`${stdout}${stderr}`).not.toMatch(/FAILED/);
  });

  it('every alert has a test in which it fires and one in which it is silent', () => {
    const alerts = [...readFileSync(RULES_FILE, 'utf8').matchAll(/- alert: (\w+)/g)].map((m) => m[1]!);
    const tests = readFileSync(RULE_TESTS_FILE, 'utf8');
    // alertname lines followed by their expected alerts: fired (a list) or silent ([]).
    const cases = [...tests.matchAll(/alertname: (\w+)\n\s+exp_alerts:( \[\])?/g)].map((m) => ({
      alert: m[1]!,
      fires: m[2] === undefined,
    }));
    for (const alert of alerts) {
      expect(
        cases.some((c) => c.alert === alert && c.fires),
        `${alert} fires in a test`,
      ).toBe(true);
      expect(
        cases.some((c) => c.alert === alert && !c.fires),
        `${alert} is silent in a test`,
      ).toBe(true);
    }
  });

  it('a broken rule is refused by promtool (the check is not vacuous)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'longhaul-rules-'));
    const broken = join(dir, 'broken.yml');
    writeFileSync(broken, readFileSync(RULES_FILE, 'utf8').replace('> 1000', '> > 1000'));
    try {
      await expect(run(promtool, ['check', 'rules', broken])).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
