// The two ways out: e-mail over SMTP (nodemailer; STARTTLS required unless TLS from the start, the server's
// certificate always verified) and a JSON POST to a webhook. Errors never carry the password or the webhook
// URL's path (it holds the token); `permanent` says retrying cannot help (a refused certificate, a 4xx).
import nodemailer from 'nodemailer';
import { webhookPayload, type AlertMessage } from './compose.js';
import type { SmtpConfig } from './settings.js';

export class AlertSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'AlertSendError';
  }
}

export async function sendMail(smtp: SmtpConfig, message: AlertMessage, timeoutMs: number): Promise<void> {
  const transport = nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ...(smtp.auth ? { auth: smtp.auth } : {}),
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(smtp.ca ? { ca: smtp.ca } : {}) },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    await transport.sendMail({
      from: smtp.from,
      to: smtp.to,
      subject: message.subject,
      text: message.text,
      headers: { 'X-Moflow-Alert': message.kind, 'X-Moflow-Alert-Key': message.key },
    });
  } catch (error) {
    const e = error as Error & { code?: string; responseCode?: number };
    const certificate = /certificate|self[- ]signed|CERT_|unable to verify/i.test(`${e.code ?? ''} ${e.message}`);
    const permanent = certificate || e.code === 'EAUTH' || (e.responseCode !== undefined && e.responseCode >= 500);
    const hint = certificate
      ? ` (the server's certificate is not trusted: set moflow.alerts.smtp.ca_file to the CA that signed it)`
      : e.code === 'EAUTH'
        ? ' (check moflow.alerts.smtp.user and .password)'
        : '';
    throw new AlertSendError(`SMTP ${smtp.host}:${smtp.port}: ${e.message}${hint}`, permanent);
  } finally {
    transport.close();
  }
}

export async function postWebhook(url: string, message: AlertMessage, timeoutMs: number): Promise<void> {
  const host = new URL(url).host;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(webhookPayload(message)),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new AlertSendError(`webhook at ${host}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, false);
  }
  await response.body?.cancel();
  if (response.ok) return;
  // A 4xx (wrong URL, revoked token) stays wrong; 408, 429 and 5xx may pass on the next attempt.
  const permanent = response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429;
  throw new AlertSendError(`webhook at ${host} answered ${response.status} ${response.statusText}`, permanent);
}
