import { describe, expect, it } from 'vitest';
import { parseCidrList } from '@longhaul/outbound';
import { createTargetChecks, type Lookup } from './webhook-target';

const rules = { allowHttp: true, allowCidrs: parseCidrList('127.0.0.2/32') };
const hosts: Record<string, string[]> = {
  localhost: ['127.0.0.1', '::1'],
  'public.test': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'mixed.test': ['93.184.215.14', '10.0.0.7'],
  'mapped.test': ['::ffff:192.168.1.1'],
  'allowed.test': ['127.0.0.2'],
  'empty.test': [],
};
const lookups: string[] = [];
const fakeLookup: Lookup = async (host) => {
  lookups.push(host);
  if (host === 'slow.test') return new Promise(() => undefined);
  if (host === 'broken.test') throw Object.assign(new Error('servfail'), { code: 'EAI_AGAIN' });
  const found = hosts[host];
  if (!found) throw Object.assign(new Error('nxdomain'), { code: 'ENOTFOUND' });
  return found.map((address) => ({ address }));
};
const targets = createTargetChecks(rules, { lookup: fakeLookup, timeoutMs: 50, maxPending: 2 });
const outcome = async (url: string) => {
  const r = await targets.check(url);
  return r.ok ? 'ok' : `refused: ${r.reason}`;
};

describe('webhook targets', () => {
  it('refuses literal private addresses without asking DNS', async () => {
    lookups.length = 0;
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://10.0.0.1/',
      'http://169.254.169.254/',
      'http://[::1]:8080/',
      'http://[::ffff:127.0.0.1]:8080/',
    ]) {
      expect(await outcome(url)).toMatch(/^refused/);
    }
    expect(await outcome('http://127.0.0.2:8080/hook')).toBe('ok');
    expect(lookups).toEqual([]);
  });

  it('refuses a name when any address it resolves to is refused', async () => {
    expect(await outcome('http://localhost:8080/')).toMatch(/^refused: localhost resolves to a refused address/);
    expect(await outcome('https://mixed.test/')).toMatch(/10\.0\.0\.7/);
    expect(await outcome('https://mapped.test/')).toMatch(/^refused/);
    expect(await outcome('https://public.test/in')).toBe('ok');
    expect(await outcome('http://allowed.test:9000/')).toBe('ok');
  });

  it('lets through a name the resolver cannot answer for (the notifier checks what it connects to)', async () => {
    expect(await outcome('https://nowhere.test/')).toBe('ok');
    expect(await outcome('https://empty.test/')).toBe('ok');
    expect(await outcome('https://broken.test/')).toBe('ok');
    expect(await outcome('https://slow.test/')).toBe('ok');
  });

  it('bounds the lookups in flight (timed-out ones keep their thread), leaving the rest to the notifier', async () => {
    lookups.length = 0;
    // One slow lookup is still pending from the test before; one more fills the bound.
    expect(await outcome('https://slow.test/')).toBe('ok');
    expect(await outcome('http://localhost:8080/')).toBe('ok');
    expect(lookups).toEqual(['slow.test']);
  });

  it('still applies the rules that need no DNS', async () => {
    expect(await outcome('ftp://public.test/')).toMatch(/^refused: must use https or http/);
  });
});
