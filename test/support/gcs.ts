// A real Cloud Storage emulator for tests: PyPI gcp-storage-emulator (installed into .venv by
// `npm install`) on a free loopback port, in memory or, with `dataDir`, on disk so a restart keeps the data.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../src/util/ports.js';

/** `<repo>/.venv/bin/gcp-storage-emulator`. */
export const GCS_EMULATOR = new URL('../../.venv/bin/gcp-storage-emulator', import.meta.url).pathname;

/** A skip reason for `describe` when the emulator is missing, or false. In CI it throws instead. */
export function gcsEmulatorSkip(): string | false {
  try {
    accessSync(GCS_EMULATOR, constants.X_OK);
    return false;
  } catch {
    const reason = `${GCS_EMULATOR} not found: run npm install (it installs .venv)`;
    if (process.env.CI) throw new Error(`CI needs every test daemon: ${reason}`);
    return reason;
  }
}

export class GcsEmulator {
  private child: ChildProcess | null = null;
  private output = '';

  private constructor(
    readonly port: number,
    private readonly dataDir: string | null,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(options: { dataDir?: string } = {}): Promise<GcsEmulator> {
    const emulator = new GcsEmulator(await freePort(), options.dataDir ?? null);
    await emulator.start();
    return emulator;
  }

  async start(): Promise<void> {
    if (this.child) return;
    // --data-dir belongs before the subcommand, --in-memory after it.
    const storage = this.dataDir === null ? ['start', '--in-memory'] : ['--data-dir', this.dataDir, 'start'];
    const child = spawn(GCS_EMULATOR, [...storage, '--host', '127.0.0.1', '--port', String(this.port), '--quiet'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.child = child;
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`gcp-storage-emulator exited with ${child.exitCode}: ${this.output}`);
      if (await this.answers()) return;
      if (Date.now() > deadline) throw new Error(`gcp-storage-emulator did not answer on ${this.port}: ${this.output}`);
      await sleep(100);
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private async answers(): Promise<boolean> {
    try {
      const response = await fetch(`${this.endpoint}/storage/v1/b`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }
}
