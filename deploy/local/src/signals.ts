/** Resolves on the first SIGINT/SIGTERM/SIGHUP; later ones are noted and ignored while we stop. */
export function onceStopSignal(say: (m: string) => void): {
  signalled: Promise<NodeJS.Signals>;
  received: () => boolean;
} {
  let got = false;
  const signalled = new Promise<NodeJS.Signals>((resolve) => {
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(sig, () => {
        if (got) {
          say(`${sig} received again; still stopping`);
          return;
        }
        got = true;
        resolve(sig);
      });
    }
  });
  return { signalled, received: () => got };
}
