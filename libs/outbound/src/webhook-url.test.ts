import { describe, expect, it } from 'vitest';
import { checkWebhookUrl } from './webhook-url';

const strict = { allowHttp: false, allowPrivateNetworks: false };
const dev = { allowHttp: true, allowPrivateNetworks: true };
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
});
