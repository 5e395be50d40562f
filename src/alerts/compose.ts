// An alert's words, as pure functions: what happened, to which dump or export, and the command that fixes it.
// Every text passes through clean(): CPR numbers masked, the configured secrets and URL passwords removed.
import { maskCprsIn } from '../util/cpr.js';
import { PLAN2LEARN_SCHEDULE_ID } from '../../workflows/definitions.js';
import { alertKey, type AlertEvent, type AlertKind, type AlertStream } from './events.js';

/** The last problem of a stream, as the alert store keeps it to word the 'recovered' alert. */
export interface StreamProblem {
  kind: AlertKind;
  dump: string | null;
  workflowId: string;
  reason: string;
  /** ISO time the problem was seen. */
  at: string;
}

export interface AlertMessage {
  kind: AlertKind;
  key: string;
  subject: string;
  text: string;
  /** The structured part of the webhook payload. */
  fields: {
    event: AlertKind;
    stream: AlertStream;
    municipality: string | null;
    dump: string | null;
    workflowId: string;
    runId: string;
    key: string;
  };
}

export interface ComposeContext {
  municipality: string | null;
  /** Values that must never appear (passwords, client secrets, webhook tokens). */
  secrets: readonly string[];
  /** For 'recovered': the problem it recovers from. */
  previous?: StreamProblem | null;
}

const MAX_REASON = 1500;

/** The alert for a problem event, or the 'recovered' alert for an 'ok' event after a problem. */
export function composeAlert(event: AlertEvent, context: ComposeContext): AlertMessage {
  const kind: AlertKind = event.kind === 'ok' ? 'recovered' : event.kind;
  const key = event.kind === 'ok' ? `${event.workflowId}/${event.runId}/recovered` : alertKey(event);
  const dump = event.dump ?? '(unknown dump)';
  const reason = event.reason.length > MAX_REASON ? `${event.reason.slice(0, MAX_REASON)}…` : event.reason;
  const run = `workflow ${event.workflowId}, run ${event.runId}`;
  let title: string;
  let body: string;
  switch (event.kind) {
    case 'import-failed':
      title = `OPUS import of ${dump} failed`;
      body =
        `The import of ${dump} failed (${run}): ${reason}\n` +
        `Later dumps wait until it is fixed. Fix the cause, then run \`moflow opus resume\`; ` +
        `or, to leave this dump out on purpose, \`moflow opus skip ${dump} --reason "…"\`.`;
      break;
    case 'awaiting-approval':
      title = `OPUS import of ${dump} waits for approval`;
      body =
        `The import of ${dump} is held by the mass-change guard (${run}): ${reason}\n` +
        `Check that the change is real (\`moflow opus status\`), then run \`moflow opus approve ${dump}\`. Later dumps wait until then.`;
      break;
    case 'sync-blocked':
      title = `OPUS sync is blocked at ${dump}`;
      body =
        `The OPUS sync stopped at ${dump} (${run}): ${reason}\n` +
        `\`moflow opus status\` shows where it stands. Fix the cause, then run \`moflow opus resume\`; ` +
        `or skip the dump on purpose with \`moflow opus skip ${dump} --reason "…"\`.`;
      break;
    case 'export-failed':
      title = 'Plan2Learn export failed';
      body =
        `The Plan2Learn export failed and shipped nothing (${run}): ${reason}\n` +
        `Fix the cause; the next scheduled run tries again, or run it now with \`temporal schedule trigger --schedule-id ${PLAN2LEARN_SCHEDULE_ID}\`.`;
      break;
    case 'export-held':
      title = 'Plan2Learn export is held by the export guard';
      body =
        `The Plan2Learn shipment waits for approval (${run}): ${reason}\n` +
        `Check the files, then run \`moflow plan2learn approve\` to ship them.`;
      break;
    case 'drift-found':
      title = `MO differs from the newest imported dump ${dump}`;
      body =
        `The drift check found differences between MO and ${dump} (${run}): ${reason}\n` +
        'Hand edits in MO, or writes that failed. The report file lists each; `moflow opus drift --fix` writes MO back to the dump.';
      break;
    case 'ok': {
      const what = event.stream === 'opus' ? `OPUS import works again: ${dump} was imported` : 'Plan2Learn export works again: the files were shipped';
      const before = context.previous;
      title = event.stream === 'opus' ? `OPUS import recovered (${dump})` : 'Plan2Learn export recovered';
      body = `${what} (${run}).` + (before ? `\nThe problem before it (${before.at}, ${before.kind}${before.dump ? ` at ${before.dump}` : ''}): ${before.reason}` : '');
      break;
    }
  }
  const where = context.municipality ? ` ${context.municipality}` : '';
  const clean = (text: string) => cleanText(text, context.secrets);
  return {
    kind,
    key,
    subject: clean(`[moflow${where}] ${title}`),
    text: clean(body),
    fields: { event: kind, stream: event.stream, municipality: context.municipality, dump: event.dump, workflowId: event.workflowId, runId: event.runId, key },
  };
}

/** The JSON a webhook receives: `text` for Slack and Teams incoming webhooks, `moflow` for machines. */
export function webhookPayload(message: AlertMessage): { text: string; moflow: AlertMessage['fields'] & { subject: string } } {
  return { text: `${message.subject}\n${message.text}`, moflow: { ...message.fields, subject: message.subject } };
}

/** CPR numbers masked, secrets and passwords in URLs (`scheme://user:password@host`) removed. */
export function cleanText(text: string, secrets: readonly string[]): string {
  let out = maskCprsIn(text);
  // Longest first, so a secret containing another is removed whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length >= 4) out = out.split(secret).join('********');
  }
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):[^\s@/]*@/gi, '$1:********@');
}
