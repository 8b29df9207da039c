import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports';
import { serviceEnv, startService } from '../helpers/service-process';
import { uniqueName } from '../helpers/stack';

const SERVICES = ['ingress', 'processor', 'projector', 'notifier'] as const;
const EXIT_CONFIG = 78;

// A bad or missing setting stops a service at start with one clear line naming the variable.
describe.each(SERVICES)('the %s service with bad configuration', (name) => {
  const base = async () => serviceEnv({ prefix: 'cfg.', database: uniqueName('cfg'), port: await freePort() });

  it('exits non-zero naming a missing setting', async () => {
    const env: NodeJS.ProcessEnv = await base();
    delete env['LONGHAUL_KAFKA_BROKERS'];
    const service = startService(name, env);
    const { code } = await service.exited;
    expect(code).toBe(EXIT_CONFIG);
    expect(service.output()).toMatch(/config error: LONGHAUL_KAFKA_BROKERS is required but not set/);
  });

  it('exits non-zero naming every malformed setting, one line each', async () => {
    const port = name === 'ingress' ? 'LONGHAUL_HTTP_PORT' : 'LONGHAUL_OPS_PORT';
    const service = startService(name, {
      ...(await base()),
      [port]: '99999',
      LONGHAUL_MONGO_URL: 'postgres://db',
      LONGHAUL_LOG_LEVEL: 'loud',
    });
    const { code } = await service.exited;
    expect(code).toBe(EXIT_CONFIG);
    const lines = service
      .output()
      .split('\n')
      .filter((l) => l.includes('config error'));
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).toContain(`${port} must be between 1 and 65535, got 99999`);
    expect(lines.join('\n')).toContain('LONGHAUL_MONGO_URL must use mongodb or mongodb+srv');
    expect(lines.join('\n')).toContain('LONGHAUL_LOG_LEVEL must be one of');
  });
});
