import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { HttpProblem } from './problem';
import { checkAddress, checkWebhookUrl, type OutboundRules, type UrlCheck } from '@longhaul/outbound';

/** The resolver's answer for a host name: every address it maps to. */
export type Lookup = (host: string) => Promise<readonly { address: string }[]>;

export type TargetCheck = UrlCheck;

/**
 * Where a webhook URL given to the API may point: the rules of libs/outbound, and for a host
 * name (not an IP literal) every address it resolves to now. The notifier checks the address
 * it actually connects to on every attempt (DNS can change), so this is the early refusal a
 * client sees at once, not the only line of defence: a name that resolves to a refused address
 * is a 422; a name that does not resolve (yet), or a resolver that fails or is slow, is let
 * through, so the API never depends on DNS being up. `dns.lookup` runs on libuv's small thread
 * pool and a timed-out lookup keeps its thread, so at most `maxPending` run at once (past that,
 * the check is left to the notifier).
 */
export function createTargetChecks(
  rules: OutboundRules,
  opts: { timeoutMs?: number; maxPending?: number; lookup?: Lookup } = {},
) {
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const maxPending = opts.maxPending ?? 16;
  const lookup = opts.lookup ?? ((host: string) => dnsLookup(host, { all: true, verbatim: true }));
  let pending = 0;

  /** Every address of a name, or null when the resolver cannot tell now. */
  async function resolve(host: string): Promise<readonly { address: string }[] | null> {
    if (pending >= maxPending) return null;
    pending++;
    const running = lookup(host).finally(() => pending--);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((res) => {
      timer = setTimeout(() => res(null), timeoutMs);
    });
    try {
      return await Promise.race([running, timeout]);
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
      running.catch(() => undefined);
    }
  }

  /** The part that needs DNS, for a URL checkWebhookUrl accepted. */
  async function checkResolved(url: URL): Promise<TargetCheck> {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    // IP literals were fully checked by checkWebhookUrl: no resolver round trip for them.
    if (isIP(host) !== 0) return { ok: true, url };
    for (const { address } of (await resolve(host)) ?? []) {
      const problem = checkAddress(address, rules);
      if (problem) return { ok: false, reason: `${host} resolves to a refused address: ${problem}` };
    }
    return { ok: true, url };
  }

  return {
    checkResolved,
    /** Every check of a webhook URL given to the API: the rules, then what the host resolves to. */
    async check(raw: string): Promise<TargetCheck> {
      const check = checkWebhookUrl(raw, rules);
      return check.ok ? checkResolved(check.url) : check;
    },
  };
}

export type TargetChecks = ReturnType<typeof createTargetChecks>;

/** Where a checked URL's host resolves, as the API answers it: 422 at `pointer` when refused. */
export async function resolvedTarget(targets: TargetChecks, url: URL, pointer: string): Promise<URL> {
  return answer(await targets.checkResolved(url), pointer);
}

/** Every check of a webhook URL given to the API, answered as resolvedTarget does. */
export async function checkedTarget(targets: TargetChecks, raw: string, pointer: string): Promise<URL> {
  return answer(await targets.check(raw), pointer);
}

function answer(check: TargetCheck, pointer: string): URL {
  if (check.ok) return check.url;
  throw new HttpProblem('validation', 'the webhook URL is not allowed', {
    errors: [{ pointer, message: check.reason }],
  });
}
