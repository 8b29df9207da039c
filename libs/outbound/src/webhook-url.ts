import ipaddr from 'ipaddr.js';

/**
 * Where Longhaul may send a webhook. One set of rules, used by ingress when a URL is given
 * (so a bad one is refused with 422 at once) and by the notifier before every delivery, where
 * the host is also resolved and every address it resolves to is checked the same way.
 */
export interface OutboundRules {
  /** Plain http (development only: secrets and payloads would travel in clear). */
  readonly allowHttp: boolean;
  /**
   * Address ranges reachable even though the rules would refuse them (development and tests,
   * where receivers run locally): an explicit opt-in, `LONGHAUL_WEBHOOK_ALLOW_CIDRS`.
   */
  readonly allowCidrs: readonly Cidr[];
}

export type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parse a comma-separated CIDR list (`10.0.0.0/8, ::1/128`); throws naming the first bad one. */
export function parseCidrList(text: string): Cidr[] {
  return text
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '')
    .map((c) => {
      try {
        return ipaddr.parseCIDR(c);
      } catch {
        throw new Error(`"${c.slice(0, 60)}" is not a CIDR range (such as 10.0.0.0/8 or ::1/128)`);
      }
    });
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

const MAX_URL_LENGTH = 2_048;
/** Ranges never reachable from a webhook, whatever the rules: metadata services, multicast… */
const ALWAYS_PUBLIC = new Set(['unicast']);
const PRIVATE_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/** Is this address one the rules let us connect to? */
export function checkAddress(address: string, rules: OutboundRules): string | undefined {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (ALWAYS_PUBLIC.has(range)) return undefined;
  if (rules.allowCidrs.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return undefined;
  return `the address ${address} is in a ${range} range, which webhooks may not reach`;
}

/** The checks that need no DNS: scheme, credentials, port, and literal or obviously local hosts. */
export function checkWebhookUrl(raw: string, rules: OutboundRules): UrlCheck {
  if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not an absolute URL' };
  }
  if (url.protocol !== 'https:' && !(rules.allowHttp && url.protocol === 'http:')) {
    return { ok: false, reason: rules.allowHttp ? 'must use https or http' : 'must use https' };
  }
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'must not carry credentials' };
  if (url.hash !== '') return { ok: false, reason: 'must not have a fragment' };
  const port = url.port === '' ? undefined : Number(url.port);
  if (port !== undefined && port < 1024 && port !== 80 && port !== 443) {
    return { ok: false, reason: `must not use the privileged port ${port}` };
  }
  // The WHATWG parser has already turned 2130706433, 0x7f.1 and friends into dotted IPv4.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (ipaddr.isValid(host)) {
    const problem = checkAddress(host, rules);
    return problem ? { ok: false, reason: problem } : { ok: true, url };
  }
  if (!host.includes('.') || PRIVATE_NAMES.test(host.replace(/\.$/, ''))) {
    // Only where local receivers are allowed at all; the notifier checks what the name resolves to.
    if (rules.allowCidrs.length === 0) return { ok: false, reason: `the host ${host} is a local name` };
  }
  return { ok: true, url };
}
