// moflow.alerts.*: where alerts go (e-mail over SMTP, a JSON webhook, or both) and which events are sent.
// Alerts are off until a channel is configured. The SMTP password and the webhook URL (Slack's and Teams'
// URLs carry their token in the path) are secrets: never printed.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError } from '../config/errors.js';
import type { Settings } from '../config/load.js';
import { idList, port, positiveInt, setting, text, url } from '../config/setting.js';
import { ALERT_KINDS, type AlertKind } from './events.js';

export const alertKeys = {
  smtpHost: setting('moflow.alerts.smtp.host', text, {
    description: 'SMTP server that sends alert e-mails; e-mail alerts are off without it',
    example: 'smtp.andeby.dk',
  }),
  smtpPort: setting('moflow.alerts.smtp.port', port, {
    description: 'SMTP port (default 587 with starttls, 465 with tls)',
    example: '587',
  }),
  smtpSecurity: setting('moflow.alerts.smtp.security', z.enum(['starttls', 'tls']), {
    description: '"starttls" (default): plain connection upgraded with STARTTLS, refused when the server does not offer it; "tls": TLS from the start (port 465). The certificate is always verified',
    example: 'starttls',
  }),
  smtpUser: setting('moflow.alerts.smtp.user', text, {
    description: 'SMTP user name (without it, no login)',
    example: 'moflow',
  }),
  smtpPassword: setting('moflow.alerts.smtp.password', z.string().min(1), {
    description: 'SMTP password',
    example: '********',
    secret: true,
  }),
  smtpFrom: setting('moflow.alerts.smtp.from', text, {
    description: 'sender address of alert e-mails',
    example: 'moflow@andeby.dk',
  }),
  smtpTo: setting('moflow.alerts.smtp.to', idList, {
    description: 'recipients of alert e-mails, a list',
    example: '["drift@andeby.dk"]',
  }),
  smtpCaFile: setting('moflow.alerts.smtp.ca_file', text, {
    description: "PEM file with the CA that signed the SMTP server's certificate (default: the system CAs)",
    example: '/etc/moflow/smtp-ca.pem',
  }),
  webhookUrl: setting('moflow.alerts.webhook.url', url, {
    description: 'URL that alerts are POSTed to as JSON {"text": …, "moflow": {…}} (a Slack or Teams incoming webhook fits)',
    example: 'https://hooks.slack.com/services/T000/B000/XXXX',
    secret: true,
  }),
  events: setting('moflow.alerts.events', idList.pipe(z.array(z.enum(ALERT_KINDS))), {
    description: `which events are sent (default all): ${ALERT_KINDS.join(', ')}`,
    example: '["import-failed", "sync-blocked", "recovered"]',
  }),
  timeoutSeconds: setting('moflow.alerts.timeout_seconds', positiveInt, {
    description: 'timeout of one attempt to send an alert (default 30); a failed attempt is retried a few times, then given up',
    example: '30',
  }),
};

export const ALERT_SETTINGS = Object.values(alertKeys);

export interface SmtpConfig {
  host: string;
  port: number;
  security: 'starttls' | 'tls';
  auth: { user: string; pass: string } | null;
  from: string;
  to: string[];
  /** PEM text of the CA to trust instead of the system CAs; null: the system CAs. */
  ca: string | null;
}

export interface AlertConfig {
  smtp: SmtpConfig | null;
  webhookUrl: string | null;
  events: ReadonlySet<AlertKind>;
  timeoutMs: number;
}

/** The alert settings; throws ConfigError naming every key that is missing or wrong. */
export function alertConfig(settings: Settings): AlertConfig {
  const problems: string[] = [];
  let smtp: SmtpConfig | null = null;
  const host = settings.get(alertKeys.smtpHost);
  if (host !== undefined) {
    const security = settings.get(alertKeys.smtpSecurity) ?? 'starttls';
    const from = settings.get(alertKeys.smtpFrom);
    const to = settings.get(alertKeys.smtpTo) ?? [];
    if (from === undefined) problems.push(`${alertKeys.smtpFrom.key} is not set, and e-mail alerts (${alertKeys.smtpHost.key} is set) need a sender. Fix: add "${alertKeys.smtpFrom.key}": "${alertKeys.smtpFrom.example}".`);
    if (to.length === 0) problems.push(`${alertKeys.smtpTo.key} is not set, and e-mail alerts (${alertKeys.smtpHost.key} is set) need recipients. Fix: add "${alertKeys.smtpTo.key}": ${alertKeys.smtpTo.example}.`);
    const user = settings.get(alertKeys.smtpUser);
    const pass = settings.get(alertKeys.smtpPassword);
    if ((user === undefined) !== (pass === undefined)) problems.push(`${alertKeys.smtpUser.key} and ${alertKeys.smtpPassword.key} go together: set both to log in, or neither.`);
    const caFile = settings.get(alertKeys.smtpCaFile);
    let ca: string | null = null;
    if (caFile !== undefined) {
      try {
        ca = readFileSync(caFile, 'utf8');
      } catch (error) {
        problems.push(`${alertKeys.smtpCaFile.key}: ${caFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}). Fix: point it at a readable PEM file.`);
      }
    }
    smtp = {
      host,
      port: settings.get(alertKeys.smtpPort) ?? (security === 'tls' ? 465 : 587),
      security,
      auth: user !== undefined && pass !== undefined ? { user, pass } : null,
      from: from ?? '',
      to,
      ca,
    };
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    smtp,
    webhookUrl: settings.get(alertKeys.webhookUrl) ?? null,
    events: new Set(settings.get(alertKeys.events) ?? ALERT_KINDS),
    timeoutMs: (settings.get(alertKeys.timeoutSeconds) ?? 30) * 1000,
  };
}
