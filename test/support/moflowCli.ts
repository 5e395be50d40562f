// Runs the real `moflow` command line (bin/moflow.js) as an operator would, against a test's Temporal server.
import { execFile } from 'node:child_process';

const ROOT = new URL('../../', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliTarget {
  settingsFile: string;
  address: string;
  taskQueue: string;
}

/** `moflow <args>` with the Temporal options appended (they belong to the sub-command). */
export function moflow(target: CliTarget, args: string[], timeoutMs = 120_000): Promise<CliResult> {
  const full = ['bin/moflow.js', '--settings', target.settingsFile, ...args, '--address', target.address, '--task-queue', target.taskQueue];
  return new Promise((resolve) => {
    execFile(process.execPath, full, { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, MOFLOW_SETTINGS: '' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
