// What a workflow tells the alert activity: a small, plain event (no Node modules: workflows import it).

/** Events an operator can be alerted about; `moflow.alerts.events` picks from these. */
export const ALERT_KINDS = ['import-failed', 'awaiting-approval', 'sync-blocked', 'export-failed', 'export-held', 'drift-found', 'recovered'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** A job's line of runs: a problem in it is "recovered" by the next success in the same stream. */
export type AlertStream = 'opus' | 'plan2learn' | 'drift';

export interface AlertEvent {
  /** A problem, or 'ok': the run succeeded (an alert only when the stream's last event was a problem). */
  kind: Exclude<AlertKind, 'recovered'> | 'ok';
  stream: AlertStream;
  workflowId: string;
  runId: string;
  /** The dump concerned (OPUS), or null. */
  dump: string | null;
  /** What went wrong, as the run reports it; empty for 'ok'. */
  reason: string;
  /**
   * What makes two events the same, so a retried activity sends each once; default workflow id + run id +
   * kind. A blocked sync names the failed import instead, so every nightly sync does not repeat it.
   */
  key?: string;
}

export function alertKey(event: AlertEvent): string {
  return event.key ?? `${event.workflowId}/${event.runId}/${event.kind}`;
}
