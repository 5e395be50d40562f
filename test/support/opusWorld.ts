// Everything an OPUS sync on Temporal talks to, real and local: a local MO on a fresh PostgreSQL database
// (restartable on its port, to take MO away for a while), a dump folder, a data folder, a DAR stand-in,
// and the settings.json a worker reads (in-process or as `moflow worker`). Plus the direct import of the
// import issue, the yardstick the sync must match.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { loadSettings, type Settings } from '../../src/config/load.js';
import { opusImportOptions } from '../../src/config/opus.js';
import { openDarResolver } from '../../src/dar/open.js';
import { startLocalMo, type LocalMo } from '../../src/localmo/service.js';
import { createMoClient, type MoClient } from '../../src/mo/index.js';
import { LocalFolderSource } from '../../src/sources/local.js';
import { importDump, importSettings } from '../../src/sync/importDump.js';
import { freePort } from '../../src/util/ports.js';
import { DarServer } from './darServer.js';
import { MUNICIPALITY } from './importEnv.js';
import { createTestDatabase, dropTestDatabase } from './postgres.js';

/** Activity timeouts for tests: a lost worker or a failed attempt is retried within seconds, not minutes. */
export const FAST = { heartbeatTimeout: '5 seconds', retryInitialInterval: '200 milliseconds', retryMaximumInterval: '2 seconds' } as const;

export interface MoInstance {
  readonly url: string;
  readonly databaseUrl: string;
  readonly client: MoClient;
  /** Takes MO away as a crash would: open connections are cut, new ones refused, the service stopped (the database stays). */
  stop(): Promise<void>;
  /** Starts it again, reachable at the same URL, on the same database. */
  start(): Promise<void>;
}

export interface OpusWorld {
  readonly root: string;
  readonly dumpsDir: string;
  readonly dataDir: string;
  readonly settingsFile: string;
  readonly mo: MoInstance;
  readonly dar: DarServer;
  settings(): Settings;
  /** The import issue's direct import (no Temporal) of `names` in order, into another MO. */
  directImport(into: MoInstance, names: string[]): Promise<void>;
  /** Another local MO on its own database, stopped after the file. */
  extraMo(): Promise<MoInstance>;
}

export function useOpusWorld(extraSettings: Record<string, unknown> = {}): OpusWorld {
  let root = '';
  let mo: MoInstance | undefined;
  let dar: DarServer | undefined;
  const extras: MoInstance[] = [];

  const startMo = async (): Promise<MoInstance> => {
    const databaseUrl = await createTestDatabase('moflow_test_sync');
    const [port, servicePort] = [await freePort(), await freePort()];
    const dataDir = mkdtempSync(join(root, 'mo-'));
    // Clients reach MO through a gate: the service's own stop is graceful and would wait for busy keep-alive
    // connections, which a crash does not.
    const gate = new Gate(port, servicePort);
    let service: LocalMo | null = null;
    const instance: MoInstance = {
      url: `http://127.0.0.1:${port}`,
      databaseUrl,
      client: createMoClient({ baseUrl: `http://127.0.0.1:${port}`, auth: null, timeoutMs: 60_000 }),
      async start() {
        service = await startLocalMo({ databaseUrl, dataDir, port: servicePort });
        await gate.open();
      },
      async stop() {
        await gate.shut();
        await service?.stop();
        service = null;
      },
    };
    await instance.start();
    return instance;
  };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'moflow-sync-'));
    mkdirSync(join(root, 'dumps'));
    mo = await startMo();
    // DAR answers "no such address" to everything: a real answer, the same for every import.
    dar = await DarServer.start();
    const settings = {
      'municipality.name': MUNICIPALITY,
      'integrations.opus.import.xml_path': join(root, 'dumps'),
      'mora.base': mo.url,
      'moflow.data_dir': join(root, 'data'),
      'moflow.mo.database_url': mo.databaseUrl,
      'moflow.dar.base_url': dar.url,
      // Generated dumps end a few engagements a day; the guard is tested on its own.
      'integrations.opus.mass_change.min_count': 100_000,
      ...extraSettings,
    };
    writeFileSync(join(root, 'settings.json'), JSON.stringify(settings, null, 2));
  });

  after(async () => {
    for (const instance of [mo, ...extras]) {
      await instance?.stop();
      if (instance) await dropTestDatabase(instance.databaseUrl);
    }
    await dar?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  const world: OpusWorld = {
    get root() {
      return root;
    },
    get dumpsDir() {
      return join(root, 'dumps');
    },
    get dataDir() {
      return join(root, 'data');
    },
    get settingsFile() {
      return join(root, 'settings.json');
    },
    get mo() {
      return mo!;
    },
    get dar() {
      return dar!;
    },
    settings: () => loadSettings({ settingsPath: join(root, 'settings.json'), env: {} }),
    async directImport(into, names) {
      const settings = world.settings();
      const dar = await openDarResolver(settings);
      try {
        const config = { ...importSettings(opusImportOptions(settings), { postal: dar.resolver }), approveMassChange: true };
        const source = new LocalFolderSource(world.dumpsDir);
        for (const [i, name] of names.entries()) {
          const { report } = await importDump(into.client, source, { name, previous: i === 0 ? null : names[i - 1]! }, config);
          if (report.failures.length > 0) throw new Error(`direct import of ${name}: ${JSON.stringify(report.failures.slice(0, 3))}`);
        }
      } finally {
        await dar.close();
      }
    },
    async extraMo() {
      const instance = await startMo();
      extras.push(instance);
      return instance;
    },
  };
  return world;
}

/** A TCP pass-through on a fixed port that can be shut (connections cut, the port closed) and opened again. */
class Gate {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly port: number,
    private readonly target: number,
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  async shut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
