// Real servers for the alert tests: an SMTP server (smtp-server) that offers STARTTLS with a certificate made
// here by openssl and requires a login, and an HTTP server that takes webhook POSTs and answers as told.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface TestCert {
  certFile: string;
  keyFile: string;
}

/** A self-signed certificate for localhost and 127.0.0.1: trusted only where its file is given as the CA. */
export function makeCert(dir: string): TestCert {
  const certFile = join(dir, 'smtp-cert.pem');
  const keyFile = join(dir, 'smtp-key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'pipe' });
  return { certFile, keyFile };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  /** Whether the session was upgraded with STARTTLS before the mail was sent. */
  secure: boolean;
  user: string | undefined;
  subject: string;
  /** The body, quoted-printable decoded. */
  body: string;
  headers: string;
}

export interface TestSmtp {
  port: number;
  mails: ReceivedMail[];
  /** TLS handshakes the server saw fail (a client refusing its certificate). */
  tlsErrors: number;
  stop(): Promise<void>;
}

export async function startSmtp(cert: TestCert, login: { user: string; pass: string }): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const state = { tlsErrors: 0 };
  const server = new SMTPServer({
    secure: false,
    key: readFileSync(cert.keyFile),
    cert: readFileSync(cert.certFile),
    logger: false,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, callback) {
      if (auth.username === login.user && auth.password === login.pass) callback(null, { user: auth.username });
      else callback(new Error('invalid login'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = chunks.map(String).join('');
        const split = raw.indexOf('\r\n\r\n');
        const headers = raw.slice(0, split);
        const unfolded = headers.replace(/\r\n[ \t]+/g, ' ');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          secure: session.secure,
          user: session.user as string | undefined,
          subject: /^Subject: (.*)$/m.exec(unfolded)?.[1] ?? '',
          body: decodeQuotedPrintable(raw.slice(split + 4)),
          headers: unfolded,
        });
        callback();
      });
    },
  });
  server.on('error', () => {
    state.tlsErrors++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    mails,
    get tlsErrors() {
      return state.tlsErrors;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function decodeQuotedPrintable(text: string): string {
  return Buffer.from(text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');
}

export interface TestWebhook {
  url: string;
  /** Every request's parsed JSON body with the status answered. */
  requests: { body: unknown; status: number }[];
  /** Bodies answered 2xx. */
  accepted(): Record<string, unknown>[];
  stop(): Promise<void>;
}

/** Answers the statuses in `script` in turn, then 200 for ever. */
export async function startWebhook(script: number[] = []): Promise<TestWebhook> {
  const requests: TestWebhook['requests'] = [];
  const answers = [...script];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = answers.shift() ?? 200;
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      requests.push({ body, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    // The path stands for the token in a Slack or Teams webhook URL: a secret.
    url: `http://127.0.0.1:${port}/hooks/T0SECRET/B0SECRET/tokensecret123`,
    requests,
    accepted: () => requests.filter((r) => r.status < 300).map((r) => r.body as Record<string, unknown>),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
