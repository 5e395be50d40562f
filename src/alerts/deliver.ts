// One alert event, delivered: the stream's problem recorded (or, on success after a problem, the 'recovered'
// alert composed), each configured channel sent once — a channel that already took this event's key is left
// out, so a retry after a half-failed attempt repeats only what failed. Throws AlertSendError when a channel
// could not be reached; the activity's bounded retries and the workflow's catch take it from there.
import { ALL_SETTINGS } from '../config/keys.js';
import type { Settings } from '../config/load.js';
import { cleanText, composeAlert } from './compose.js';
import type { AlertEvent } from './events.js';
import { AlertSendError, postWebhook, sendMail } from './senders.js';
import type { AlertConfig } from './settings.js';
import type { AlertChannel, AlertStore } from './store.js';

export interface DeliverOptions {
  config: AlertConfig;
  store: AlertStore;
  municipality: string | null;
  secrets: readonly string[];
  log?: (line: string) => void;
}

export interface Delivery {
  /** The alert's idempotency key; null when nothing was due. */
  key: string | null;
  sent: AlertChannel[];
  /** Channels an earlier attempt already sent this alert on. */
  already: AlertChannel[];
  /** Why nothing was sent, or null. */
  skipped: string | null;
}

export async function deliverAlert(event: AlertEvent, options: DeliverOptions): Promise<Delivery> {
  const { config, store, secrets } = options;
  const log = options.log ?? (() => {});
  const channels: AlertChannel[] = [...(config.smtp ? ['smtp' as const] : []), ...(config.webhookUrl ? ['webhook' as const] : [])];
  const none = (skipped: string): Delivery => ({ key: null, sent: [], already: [], skipped });
  if (channels.length === 0) return none('alerts are off (neither moflow.alerts.smtp.host nor moflow.alerts.webhook.url is set)');

  const previous = store.problem(event.stream);
  if (event.kind === 'ok' && previous === null) return none('nothing to recover from');
  if (event.kind !== 'ok') {
    const reason = cleanText(event.reason, secrets);
    store.setProblem(event.stream, { kind: event.kind, dump: event.dump, workflowId: event.workflowId, reason, at: new Date().toISOString() });
  }
  const message = composeAlert(event, { municipality: options.municipality, secrets, previous });
  if (!config.events.has(message.kind)) {
    if (event.kind === 'ok') store.setProblem(event.stream, null);
    return { ...none(`${message.kind} is not in moflow.alerts.events`), key: message.key };
  }

  const sent: AlertChannel[] = [];
  const already: AlertChannel[] = [];
  const failures: AlertSendError[] = [];
  for (const channel of channels) {
    if (store.wasSent(message.key, channel)) {
      already.push(channel);
      continue;
    }
    try {
      if (channel === 'smtp') await sendMail(config.smtp!, message, config.timeoutMs);
      else await postWebhook(config.webhookUrl!, message, config.timeoutMs);
      store.markSent(message.key, channel);
      sent.push(channel);
      log(`alert ${message.kind} (${message.key}) sent by ${channel}`);
    } catch (error) {
      const failure = error instanceof AlertSendError ? error : new AlertSendError(`${channel}: ${(error as Error).message}`, false);
      failures.push(new AlertSendError(cleanText(failure.message, secrets), failure.permanent));
      log(`alert ${message.kind} (${message.key}) not sent by ${channel}: ${cleanText(failure.message, secrets)}`);
    }
  }
  store.prune();
  if (failures.length > 0) {
    throw new AlertSendError(`alert ${message.kind} for ${message.fields.dump ?? message.fields.workflowId} not sent: ${failures.map((f) => f.message).join('; ')}`, failures.every((f) => f.permanent));
  }
  if (event.kind === 'ok') store.setProblem(event.stream, null);
  return { key: message.key, sent, already, skipped: null };
}

/** Every secret setting's value (and the strings inside structured ones, e.g. AD passwords): never in an alert. */
export function secretValuesOf(settings: Settings): string[] {
  const out: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') out.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  for (const spec of ALL_SETTINGS) if (spec.secret) collect(settings.get(spec));
  return out;
}
