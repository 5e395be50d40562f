// Bounded shutdown of `moflow start`, for every signal at any moment. The first SIGINT/SIGTERM asks for a
// clean stop (the worker drains, then the local MO and the Temporal server stop); a second signal, or the
// bound passing, exits at once. Exiting runs the 'exit' handlers of the embedded PostgreSQL (fast shutdown)
// and the Temporal server (SIGKILL), so nothing of the data folder keeps running without a parent; both also
// die with moflow when it is killed outright (--pdeathsig).
import { log } from '../cli/output.js';

/** From the first signal to exit at the latest: the worker's grace (20 s) and force (25 s) time, then MO and Temporal. */
export const SHUTDOWN_BOUND_MS = 30_000;

export interface Shutdown {
  /** True once a signal came. */
  readonly requested: boolean;
  /** The worker runs from now on and drains on the first signal; before, a signal exits at once. */
  running(): void;
  /** Called once the clean stop is done: exits now when a signal asked for it (a stuck task may hold the event loop). */
  done(): void;
}

export function installShutdown(boundMs = SHUTDOWN_BOUND_MS): Shutdown {
  let requested: NodeJS.Signals | null = null;
  let running = false;
  const exitCode = (signal: NodeJS.Signals) => (signal === 'SIGINT' ? 130 : 143);
  const onSignal = (signal: NodeJS.Signals) => {
    if (requested) {
      log(`moflow: second ${signal}, exiting now`);
      process.exit(exitCode(signal));
    }
    requested = signal;
    if (!running) {
      log(`moflow: ${signal} while starting, exiting`);
      process.exit(exitCode(signal));
    }
    setTimeout(() => {
      log(`moflow: not stopped ${boundMs / 1000} s after ${signal}: exiting, the embedded PostgreSQL and the Temporal server are stopped on the way out`);
      process.exit(exitCode(signal));
    }, boundMs).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get requested() {
      return requested !== null;
    },
    running() {
      running = true;
    },
    done() {
      if (requested) process.exit(0);
    },
  };
}
