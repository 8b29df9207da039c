import type { WorkerUnderTest } from '../helpers/service-process';

/**
 * The services of a chaos run, kept running the way Kubernetes keeps pods running: a process
 * that exits without being told to (a crash, a kill -9) is started again after a short delay.
 * Processors come and go with the replica count an autoscaler chooses.
 */
export interface Managed {
  readonly role: 'projector' | 'notifier' | 'processor';
  worker: WorkerUnderTest;
  /** Told to stop (scale-in or the end of the run): not restarted. */
  retired: boolean;
  restarts: number;
  /** Killed by the run (so its death is no crash). */
  killed: boolean;
}

export function createFleet(opts: {
  start: (role: Managed['role']) => Promise<WorkerUnderTest>;
  restartDelayMs: number;
  log: (line: string) => void;
  /** Kafka or the database is restarting now, or was within the last seconds. */
  infrastructureDisturbed: () => boolean;
}) {
  const members: Managed[] = [];
  /** Processes that died without being killed (restarted all the same, as a pod would be). */
  const crashes: string[] = [];
  const uncleanStops: string[] = [];
  let stopped = false;
  const restarting = new Set<Managed>();

  const add = async (role: Managed['role']): Promise<Managed> => {
    const m: Managed = { role, worker: await opts.start(role), retired: false, restarts: 0, killed: false };
    members.push(m);
    return m;
  };

  /** Start again whatever died; every death not caused by the run itself is recorded. */
  const supervise = setInterval(() => {
    for (const m of members) {
      if (stopped || m.retired || m.worker.alive() || restarting.has(m)) continue;
      restarting.add(m);
      if (!m.killed) {
        const { code } = { code: m.worker.child.exitCode ?? m.worker.child.signalCode };
        crashes.push(`${m.role} ${m.worker.name} exited by itself (${code}): ${m.worker.output().slice(-600)}`);
      }
      m.killed = false;
      opts.log(`${m.role} ${m.worker.name} is down; restarting`);
      void (async () => {
        await new Promise((r) => setTimeout(r, opts.restartDelayMs));
        for (;;) {
          if (stopped) break;
          try {
            m.worker = await opts.start(m.role);
            m.restarts++;
            break;
          } catch (err) {
            // Its dependencies may still be down (a broker or database restart): try again.
            opts.log(`${m.role} did not start: ${String(err).split('\n')[0]}; trying again`);
            await new Promise((r) => setTimeout(r, 2_000));
          }
        }
        restarting.delete(m);
      })();
    }
  }, 250);

  const live = (role?: Managed['role']) => members.filter((m) => !m.retired && (!role || m.role === role));

  return {
    add,
    live,
    /** Running now (not dead and waiting for its restart). */
    alive: (role: Managed['role']) => live(role).filter((m) => m.worker.alive()),
    /** kill -9: the supervisor brings it back. */
    async kill(m: Managed, why: string) {
      opts.log(`kill -9 ${m.role} ${m.worker.name} (${why})`);
      m.killed = true;
      await m.worker.kill();
    },
    /** SIGTERM for good (scale-in): it hands its work back and is not restarted. */
    async retire(m: Managed) {
      m.retired = true;
      opts.log(`SIGTERM ${m.role} ${m.worker.name} (scale-in)`);
      const { code } = await m.worker.terminate();
      if (code === 0) return;
      // Reported, not a breach: Kubernetes ignores how a terminated pod exits, and what matters
      // (its work handed back, nothing lost) is checked by the invariants. A shutdown step that
      // could not reach Kafka or the database fails the exit code by design.
      const when = opts.infrastructureDisturbed() ? ' (Kafka or the database was restarting)' : '';
      uncleanStops.push(
        `${m.role} ${m.worker.name} exited ${code} on SIGTERM${when}: ${m.worker.output().slice(-3_000)}`,
      );
    },
    restartsInProgress: () => restarting.size,
    crashes,
    uncleanStops,
    async stop() {
      stopped = true;
      clearInterval(supervise);
      await Promise.all(
        members
          .filter((m) => !m.retired && m.worker.alive())
          .map(async (m) => {
            m.retired = true;
            await m.worker.terminate();
          }),
      );
    },
  };
}

export type Fleet = ReturnType<typeof createFleet>;

/**
 * The replica count KEDA's Kafka scaler asks for: the group's total lag over `lagThreshold`,
 * rounded up, within min and max replicas and never above the partition count.
 */
export function kedaReplicas(opts: {
  totalLag: number;
  lagThreshold: number;
  partitions: number;
  minReplicas: number;
  maxReplicas: number;
}): number {
  const wanted = Math.ceil(opts.totalLag / opts.lagThreshold);
  return Math.max(opts.minReplicas, Math.min(wanted, opts.maxReplicas, opts.partitions));
}
