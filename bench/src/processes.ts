import { readFileSync, readdirSync } from 'node:fs';

/** A process's parent and CPU seconds used (user + system), from /proc (100 ticks a second). */
function procStat(pid: number | string) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / 100 };
  } catch {
    return undefined;
  }
}

/** What a process of the stack is, from its command line. */
function componentOf(pid: number): string {
  if (pid === process.pid) return 'bench';
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return 'gone';
  }
  const service = /services\/([a-z-]+)\/dist\/main\.js/.exec(cmd)?.[1];
  if (service) return service === 'processor' ? 'processors' : service;
  if (cmd.includes('kafka.Kafka')) return 'kafka';
  if (cmd.includes('apicurio')) return 'registry';
  if (cmd.includes('ferretdb')) return 'ferretdb';
  if (cmd.includes('postgres')) return 'postgres';
  return cmd.includes('deploy/local') ? 'stack-cli' : 'other-in-stack';
}

/** CPU seconds of every process under the bench command (the stack, this bench, its processors), by pid. */
export function stackSnapshot() {
  const stats = new Map<number, { ppid: number; cpu: number }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const st = procStat(entry);
    if (st) stats.set(Number(entry), st);
  }
  const children = new Map<number, number[]>();
  for (const [pid, st] of stats) children.set(st.ppid, [...(children.get(st.ppid) ?? []), pid]);
  const out = new Map<number, { component: string; cpu: number }>();
  const queue = [process.ppid];
  while (queue.length > 0) {
    const pid = queue.pop()!;
    const st = stats.get(pid);
    if (st) out.set(pid, { component: componentOf(pid), cpu: st.cpu });
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}
