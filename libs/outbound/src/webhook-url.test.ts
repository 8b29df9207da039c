import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, parseCidrList, type OutboundRules } from './webhook-url';

const strict: OutboundRules = { allowHttp: false, allowCidrs: [] };
const dev = {
  allowHttp: true,
  allowCidrs: parseCidrList('127.0.0.0/8, ::1/128, 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7'),
};
const reason = (url: string, rules = strict) => {
  const r = checkWebhookUrl(url, rules);
  return r.ok ? 'ok' : r.reason;
};

describe('webhook URL rules', () => {
  it('accepts public https URLs', () => {
    expect(reason('https://hooks.example.com/longhaul?x=1')).toBe('ok');
    expect(reason('https://93.184.216.34:8443/hook')).toBe('ok');
    expect(reason('https://[2606:2800:220:1:248:1893:25c8:1946]/hook')).toBe('ok');
  });

  it.each([
    ['http://hooks.example.com/', /must use https/],
    ['ftp://hooks.example.com/', /must use https/],
    ['javascript:alert(1)', /must use https/],
    ['not a url', /absolute URL/],
    ['https://user:pw@hooks.example.com/', /credentials/],
    ['https://hooks.example.com/#frag', /fragment/],
    ['https://hooks.example.com:22/', /privileged port 22/],
    ['https://127.0.0.1/', /loopback/],
    ['https://2130706433/', /loopback/],
    ['https://0x7f.1/', /loopback/],
    ['https://169.254.169.254/latest/meta-data', /linkLocal/],
    ['https://10.0.0.5/', /private/],
    ['https://[::1]/', /loopback/],
    ['https://[::ffff:127.0.0.1]/', /loopback/],
    ['https://[fd00::1]/', /uniqueLocal/],
    ['https://0.0.0.0/', /unspecified/],
    ['https://224.0.0.1/', /multicast/],
    ['https://localhost/', /local name/],
    ['https://metadata.google.internal/', /local name/],
    ['https://intranet/', /local name/],
    [`https://example.com/${'a'.repeat(3000)}`, /at most 2048/],
  ])('refuses %s', (url, why) => {
    expect(reason(url)).toMatch(why);
  });

  it('lets development reach local receivers over http, but never metadata services', () => {
    expect(reason('http://127.0.0.1:9000/hook', dev)).toBe('ok');
    expect(reason('http://localhost:9000/hook', dev)).toBe('ok');
    expect(reason('http://169.254.169.254/', dev)).toMatch(/linkLocal/);
  });

  it('opens exactly the ranges listed in the allow-list', () => {
    const one = { allowHttp: true, allowCidrs: parseCidrList(' 10.1.0.0/16 ') };
    expect(reason('http://10.1.2.3/hook', one)).toBe('ok');
    expect(reason('http://10.2.0.1/hook', one)).toMatch(/private/);
    expect(reason('http://127.0.0.1/hook', one)).toMatch(/loopback/);
    expect(reason('http://[::ffff:10.1.2.3]/hook', one)).toBe('ok');
    expect(reason('http://[::1]/hook', one)).toMatch(/loopback/);
    expect(parseCidrList('')).toEqual([]);
    expect(() => parseCidrList('10.0.0.0/8, 10.0.0.300/8')).toThrow('"10.0.0.300/8" is not a CIDR range');
    expect(() => parseCidrList('localhost')).toThrow('is not a CIDR range');
  });
});
