// How the CLI reports progress and errors: to stderr, CPR numbers masked, and always with what to do next.
import type { Command } from 'commander';
import { maskCprsIn } from '../util/cpr.js';

/** The global `--settings` option of the root command. */
export function settingsPathOf(command: Command): string | undefined {
  let root = command;
  while (root.parent) root = root.parent;
  return root.opts<{ settings?: string }>().settings;
}

export function log(message: string): void {
  process.stderr.write(`${maskCprsIn(message)}\n`);
}

/** A progress line that rewrites itself on a terminal and prints sparsely otherwise. */
export function progress(label: string): { update(done: number, total?: number): void; done(message?: string): void } {
  const tty = process.stderr.isTTY;
  let last = Date.now();
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < (tty ? 100 : 5000)) return;
      last = now;
      const pct = total ? ` (${Math.floor((done / total) * 100)}%)` : '';
      const line = `${label}: ${done.toLocaleString('en')}${total ? ` / ${total.toLocaleString('en')}` : ''}${pct}`;
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
    },
    done(message) {
      if (tty) process.stderr.write('\r\x1b[K');
      if (message) log(`${label}: ${message}`);
    },
  };
}

/** A mistake in how a command was called; its message says what to do instead. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** One line for the system errors an operator can act on (a port taken, a server not there), else null. */
export function systemErrorMessage(error: unknown): string | null {
  const e = error as NodeJS.ErrnoException & { address?: string; port?: number; hostname?: string };
  if (!(error instanceof Error) || typeof e.code !== 'string') return null;
  const where = e.address !== undefined && e.port !== undefined ? `${e.address}:${e.port}` : null;
  switch (e.code) {
    case 'EADDRINUSE':
      return `port ${e.port ?? '?'} on ${e.address ?? 'this machine'} is taken by another program: choose another port with the command's port option, or stop what listens there (ss -ltnp 'sport = :${e.port ?? ''}').`;
    case 'EACCES':
      return e.syscall === 'listen' ? `may not listen on port ${e.port ?? '?'} (ports below 1024 need privileges): choose a port above 1024.` : null;
    case 'ECONNREFUSED':
      return `nothing answers at ${where ?? 'the server'} (connection refused): check that the server runs and that the host and port settings name it.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${e.hostname ?? ''} cannot be resolved (${e.code}): check the host setting and this machine's DNS.`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where ?? 'the server'} cannot be reached (${e.code}): check the host and port settings and the network or firewall in between.`;
    default:
      return null;
  }
}
