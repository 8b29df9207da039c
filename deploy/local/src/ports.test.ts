import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { portIsFree, portsFor, processorOpsPort, takenPorts } from './ports';

describe('stack ports', () => {
  it('has separate defaults for npm start and npm test, each overridable', () => {
    expect(portsFor('dev', {}).http).toBe(8080);
    expect(portsFor('test', {}).http).not.toBe(8080);
    expect(portsFor('dev', { LONGHAUL_HTTP_PORT: '9000' }).http).toBe(9000);
    expect(processorOpsPort(portsFor('dev', {}), 1)).toBe(9112);
  });

  it('rejects a malformed port naming the variable', () => {
    expect(() => portsFor('dev', { LONGHAUL_KAFKA_PORT: 'x', LONGHAUL_MONGO_PORT: '70000' })).toThrow(
      'LONGHAUL_KAFKA_PORT must be a port number (1-65535), got "x"; LONGHAUL_MONGO_PORT must be a port number',
    );
  });

  it('names a taken port and the variable that moves it', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      expect(await portIsFree(port)).toBe(false);
      expect(await takenPorts([{ name: 'kafka', port, variable: 'LONGHAUL_KAFKA_PORT' }])).toEqual([
        `port ${port} (kafka) is already in use on 127.0.0.1; set LONGHAUL_KAFKA_PORT to use another`,
      ]);
    } finally {
      server.close();
    }
  });
});
