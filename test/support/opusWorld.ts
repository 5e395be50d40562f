// Everything an OPUS sync on Temporal talks to, real and local: an MO — moflow's local MO on a fresh
// PostgreSQL database, or the real OS2MO 66.1.2 on its own copy of the template database (see moTargets.ts) —
// behind a gate that can take it away for a while and bring it back on the same URL; a dump folder, a data
// folder, a DAR stand-in, and the settings.json a worker reads (in-process or as `moflow worker`). Plus the
// direct import of the import issue into a second MO of the same kind, the yardstick the sync must match.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import pg from 'pg';
import { loadSettings, type Settings } from '../../src/config/load.js';
import { opusImportOptions } from '../../src/config/opus.js';
import { openDarResolver } from '../../src/dar/open.js';
import { startLocalMo, type LocalMo } from '../../src/localmo/service.js';
import { createMoClient, type MoClient, type MoClientOptions } from '../../src/mo/index.js';
import { LocalFolderSource } from '../../src/sources/local.js';
import { importDump, importSettings } from '../../src/sync/importDump.js';
import { freePort } from '../../src/util/ports.js';
import { DarServer } from './darServer.js';
import { moSnapshot, type MoSnapshot } from './moSnapshot.js';
import { MUNICIPALITY } from './importEnv.js';
import type { MoKind } from './moTargets.js';
import { startOs2mo, type Os2moInstance } from './os2mo/index.js';
import { adminUrl, createTestDatabase, dropTestDatabase } from './postgres.js';

/** Activity timeouts for tests: a lost worker or a failed attempt is retried within seconds, not minutes. */
export const FAST = { heartbeatTimeout: '5 seconds', retryInitialInterval: '200 milliseconds', retryMaximumInterval: '2 seconds' } as const;

export interface MoInstance {
  readonly kind: MoKind;
  /** mora.base: the gate in front of the MO. */
  readonly url: string;
  readonly client: MoClient;
  /** Options for another moflow client of this MO (through the gate, with the production auth path for OS2MO). */
  clientOptions(): MoClientOptions;
  /** The settings that point moflow at this MO: mora.base, and for OS2MO the Keycloak client. */
  settings(): Record<string, string>;
  /** The real OS2MO behind the gate (kind 'os2mo'), for its log; null for the local MO. */
  readonly os2mo: Os2moInstance | null;
  /** What passes through the gate: requests to MO now unanswered, and write (mutation) requests among them. */
  readonly gate: GateTraffic;
  /**
   * MO's whole state as comparable lines (moSnapshot), for "identical to the direct import" checks. On OS2MO a
   * rolebinding is keyed by its content: OS2MO 66.1.2 ignores the uuid moflow gives `rolebinding_create`
   * (RoleBindingCreate.to_handler_dict leaves it out) and makes a random one, so two OS2MOs never agree on it.
   */
  snapshot(): Promise<MoSnapshot>;
  /** Writes MO registered (one registration per object written) from `from` until before `to`, read from its database. */
  registered(from: Date, to: Date): Promise<number>;
  /**
   * Takes MO away as a crash would: open connections are cut and new ones refused (the local MO's service is
   * stopped; the real OS2MO keeps running behind the shut gate, which is all its clients can tell).
   */
  stop(): Promise<void>;
  /** Brings it back, reachable at the same URL, with the same data. */
  start(): Promise<void>;
}

export interface OpusWorld {
  readonly kind: MoKind;
  readonly root: string;
  readonly dumpsDir: string;
  readonly dataDir: string;
  readonly settingsFile: string;
  readonly mo: MoInstance;
  readonly dar: DarServer;
  settings(): Settings;
  /** The import issue's direct import (no Temporal) of `names` in order, into another MO. */
  directImport(into: MoInstance, names: string[]): Promise<void>;
  /** Another MO of the same kind on its own database, stopped after the file. */
  extraMo(): Promise<MoInstance>;
  /**
   * The yardstick, started now to run alongside the test (an OS2MO takes a while to start and to fill): another
   * MO with `names` imported directly. Await it when the comparison is due.
   */
  uninterrupted(names: string[]): Promise<MoInstance>;
}

export interface OpusWorldOptions {
  /** The MO the sync writes to (default the local MO). */
  kind?: MoKind;
}

export function useOpusWorld(extraSettings: Record<string, unknown> = {}, options: OpusWorldOptions = {}): OpusWorld {
  const kind = options.kind ?? 'local';
  let root = '';
  let mo: Managed | undefined;
  let dar: DarServer | undefined;
  /** moflow's own database (its DAR cache) when MO is the real OS2MO; the local MO shares its own. */
  let moflowDatabase: string | null = null;
  const extras: Managed[] = [];

  const startMo = async (): Promise<Managed> => (kind === 'local' ? startLocal(root) : startReal(dar!.url));

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'moflow-sync-'));
    mkdirSync(join(root, 'dumps'));
    // DAR answers "no such address" to everything: a real answer, the same for every import (and for
    // OS2MO's own DAR client, which the real OS2MO is pointed at).
    dar = await DarServer.start();
    mo = await startMo();
    // moflow keeps its DAR cache in PostgreSQL: beside the local MO's tables, or, as in production next to
    // OS2MO, in a database of its own.
    if (kind === 'os2mo') moflowDatabase = await createTestDatabase('moflow_test_sync');
    const settings = {
      'municipality.name': MUNICIPALITY,
      'integrations.opus.import.xml_path': join(root, 'dumps'),
      ...mo.settings(),
      ...(moflowDatabase ? { 'moflow.mo.database_url': moflowDatabase } : {}),
      'moflow.data_dir': join(root, 'data'),
      'moflow.dar.base_url': dar.url,
      // Generated dumps end a few engagements a day; the guard is tested on its own.
      'integrations.opus.mass_change.min_count': 100_000,
      ...extraSettings,
    };
    writeFileSync(join(root, 'settings.json'), JSON.stringify(settings, null, 2));
  });

  after(async () => {
    for (const instance of [mo, ...extras]) await instance?.dispose();
    if (moflowDatabase) await dropTestDatabase(moflowDatabase);
    await dar?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const world: OpusWorld = {
    kind,
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
      if (!mo) throw new Error(`the ${kind} MO runs only inside tests (did its start fail?)`);
      return mo;
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
          if (report.failures.length > 0) throw new Error(`direct import of ${name} into the ${kind} MO: ${JSON.stringify(report.failures.slice(0, 3))}`);
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
    uninterrupted(names) {
      const done = (async () => {
        const direct = await world.extraMo();
        await world.directImport(direct, names);
        return direct;
      })();
      // Seen when awaited; until then a failure must not count as unhandled.
      done.catch(() => {});
      return done;
    },
  };
  return world;
}

interface Managed extends MoInstance {
  /** Stops it for good and drops its database. */
  dispose(): Promise<void>;
}

/** The local MO on a fresh database; stop() stops the service itself (its database stays). */
async function startLocal(root: string): Promise<Managed> {
  const databaseUrl = await createTestDatabase('moflow_test_sync');
  const [port, servicePort] = [await freePort(), await freePort()];
  const dataDir = mkdtempSync(join(root, 'mo-'));
  // Clients reach MO through a gate: the service's own stop is graceful and would wait for busy keep-alive
  // connections, which a crash does not.
  const gate = new Gate(port, servicePort);
  const url = `http://127.0.0.1:${port}`;
  let service: LocalMo | null = null;
  const clientOptions = (): MoClientOptions => ({ baseUrl: url, auth: null, timeoutMs: 60_000 });
  const instance: Managed = {
    kind: 'local',
    url,
    client: createMoClient(clientOptions()),
    clientOptions,
    // The local MO's own database, for `moflow start`-style commands that run it themselves.
    settings: () => ({ 'mora.base': url, 'moflow.mo.database_url': databaseUrl }),
    os2mo: null,
    gate,
    snapshot: () => moSnapshot(instance.client),
    registered: (from, to) =>
      countIn(databaseUrl, ['SELECT count(*)::int AS n FROM mo_registration WHERE registered_at >= $1 AND registered_at < $2'], from, to),
    async start() {
      service = await startLocalMo({ databaseUrl, dataDir, port: servicePort });
      await gate.open();
    },
    async stop() {
      await gate.shut();
      await service?.stop();
      service = null;
    },
    async dispose() {
      await instance.stop();
      await dropTestDatabase(databaseUrl);
    },
  };
  await instance.start();
  return instance;
}

/** The real OS2MO on its own database copy and Keycloak stand-in; stop() only shuts the gate. */
async function startReal(darBaseUrl: string): Promise<Managed> {
  const os2mo = await startOs2mo({ state: 'bootstrapped', darBaseUrl, log: (line) => console.log(`# ${line}`) });
  try {
    const port = await freePort();
    const gate = new Gate(port, Number(new URL(os2mo.url).port));
    const url = `http://127.0.0.1:${port}`;
    const clientOptions = (): MoClientOptions => ({ ...os2mo.clientOptions(), baseUrl: url });
    const instance: Managed = {
      kind: 'os2mo',
      url,
      client: createMoClient(clientOptions()),
      clientOptions,
      settings: () => {
        const auth = os2mo.clientOptions().auth!;
        return { 'mora.base': url, 'crontab.AUTH_SERVER': os2mo.authServer, 'crontab.CLIENT_ID': auth.clientId, 'crontab.CLIENT_SECRET': auth.clientSecret };
      },
      os2mo,
      gate,
      async snapshot() {
        const snapshot = await moSnapshot(instance.client);
        snapshot.kinds.roleBinding = snapshot.kinds.roleBinding!.map((line) => line.replace(/^[0-9a-f-]{36} /, '- ')).sort();
        return snapshot;
      },
      // LoRa: one registration per write of an object, in its type's *_registrering table.
      registered: (from, to) =>
        countIn(
          databaseUrlOf(os2mo.database),
          LORA_TYPES.map((type) => `SELECT count(*)::int AS n FROM actual_state.${type}_registrering WHERE lower((registrering).timeperiod) >= $1 AND lower((registrering).timeperiod) < $2`),
          from,
          to,
        ),
      start: () => gate.open(),
      stop: () => gate.shut(),
      async dispose() {
        await gate.shut();
        await os2mo.stop();
      },
    };
    await gate.open();
    return instance;
  } catch (error) {
    await os2mo.stop();
    throw error;
  }
}

const LORA_TYPES = ['bruger', 'facet', 'itsystem', 'klasse', 'klassifikation', 'organisation', 'organisationenhed', 'organisationfunktion'];

function databaseUrlOf(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

async function countIn(databaseUrl: string, queries: string[], from: Date, to: Date): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let n = 0;
    for (const query of queries) n += (await client.query<{ n: number }>(query, [from, to])).rows[0]!.n;
    return n;
  } finally {
    await client.end();
  }
}

export interface GateTraffic {
  /** Requests sent to MO and not yet answered, of clients still connected. */
  readonly pending: number;
  /** Write requests (GraphQL mutations) sent to MO in full and not yet answered, of clients still connected: writes in flight. */
  readonly pendingWrites: number;
  /** Write requests forwarded to MO so far. */
  readonly writesSent: number;
  /**
   * Calls `fn` as soon as a write request has reached MO in full and is still unanswered (at once if one is),
   * once; `fn` may return false to pass this write by and wait for the next one.
   */
  onWriteInFlight(fn: (write: InFlightWrite) => boolean | void): void;
  /**
   * Holds the next write request back at the gate once it has arrived in full, as a request MO is slow to take
   * up: `fn` is called then (it may return false to pass this write by). The request reaches MO after `maxMs`,
   * or before the next write request if one comes sooner; that one, and every later write, waits until MO has
   * answered it. Reads pass meanwhile. Resolves when MO has answered the held request.
   */
  holdNextWrite(fn: (write: InFlightWrite) => boolean | void, maxMs: number): Promise<void>;
}

export interface InFlightWrite {
  /** The mutations in the request (moflow's batch: aliased single mutations m0, m1, …). */
  mutations: number;
  /** How many of each mutation field (`employee_create`: 40, …). */
  fields: Record<string, number>;
  /** How long MO has had it (0 for a request the gate holds back). */
  sinceMs: number;
}

interface Turn {
  head: string;
  /** Bytes of the body still to come (once the headers are read). */
  remaining: number | null;
  write: boolean;
  body: string;
  /** When MO had the whole request (null while it is on its way, or held back). */
  sentAt: number | null;
  /** The waiters have seen it. */
  announced: boolean;
}

/** One client connection through the gate and its connection to MO. */
interface Link {
  client: Socket;
  upstream: Socket;
  /** The request now being sent or awaiting its answer (HTTP/1.1: one at a time per connection). */
  turn: Turn | null;
  /** Bytes held back from MO, in order (null: passing through). */
  held: Buffer[] | null;
  clientGone: boolean;
}

/**
 * A TCP pass-through on a fixed port that can be shut (connections cut, the port closed) and opened again.
 * It follows HTTP/1.1 request and answer turns per connection, so it can tell when a write request is in
 * flight, and can hold one back.
 */
class Gate implements GateTraffic {
  private server: Server | null = null;
  private readonly links = new Set<Link>();
  private waiters: ((write: InFlightWrite) => boolean | void)[] = [];
  private holders: { fn: (write: InFlightWrite) => boolean | void; maxMs: number; answered: () => void }[] = [];
  /** The write held back, then released and awaiting MO's answer; writes that came meanwhile wait behind it. */
  private late: { link: Link; timer: NodeJS.Timeout | null; released: boolean; answered: () => void } | null = null;
  private behind: Link[] = [];
  writesSent = 0;

  constructor(
    private readonly port: number,
    private readonly target: number,
  ) {}

  /** Requests at MO, unanswered, of clients still there (a dead worker's request is not in its successor's flight). */
  private turns(): Turn[] {
    return [...this.links].flatMap((l) => (l.turn && l.turn.sentAt !== null && !l.clientGone ? [l.turn] : []));
  }

  get pending(): number {
    return this.turns().length;
  }

  get pendingWrites(): number {
    return this.turns().filter((t) => t.write).length;
  }

  onWriteInFlight(fn: (write: InFlightWrite) => boolean | void): void {
    const now = this.turns().find((t) => t.write);
    if (!now || fn(inFlight(now)) === false) this.waiters.push(fn);
  }

  holdNextWrite(fn: (write: InFlightWrite) => boolean | void, maxMs: number): Promise<void> {
    return new Promise((answered) => this.holders.push({ fn, maxMs, answered }));
  }

  async open(): Promise<void> {
    const server = createServer((client) => {
      const link: Link = { client, upstream: connect(this.target, '127.0.0.1'), turn: null, held: null, clientGone: false };
      this.links.add(link);
      for (const s of [client, link.upstream]) {
        s.on('error', () => undefined);
        s.on('close', () => {
          if (s === client) this.clientGone(link);
          else this.upstreamGone(link);
        });
      }
      client.on('data', (chunk: Buffer) => this.fromClient(link, chunk));
      client.on('end', () => this.clientGone(link));
      link.upstream.on('data', (chunk: Buffer) => {
        // MO's answer ends the turn.
        link.turn = null;
        if (!link.clientGone) client.write(chunk);
        if (this.late?.link === link && this.late.released) this.lateAnswered();
      });
      link.upstream.on('end', () => client.end());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  private fromClient(link: Link, chunk: Buffer): void {
    const complete = this.follow(link, chunk);
    if (link.held) {
      link.held.push(chunk);
      return;
    }
    const turn = link.turn!;
    if (complete && turn.write) {
      if (this.late) {
        // Behind the held write: it reaches MO first, and this one once MO has answered it.
        link.held = [chunk];
        this.behind.push(link);
        this.release();
        return;
      }
      const holder = this.holders.find((h) => h.fn(inFlight(turn)) !== false);
      if (holder) {
        this.holders = this.holders.filter((h) => h !== holder);
        link.held = [chunk];
        this.late = { link, timer: setTimeout(() => this.release(), holder.maxMs), released: false, answered: holder.answered };
        return;
      }
    }
    link.upstream.write(chunk);
    if (complete) this.sent(link);
  }

  /** The request on `link` is at MO in full now. */
  private sent(link: Link): void {
    const turn = link.turn!;
    turn.sentAt = Date.now();
    if (!turn.write) return;
    this.writesSent++;
    if (this.waiters.length > 0 && !turn.announced) {
      turn.announced = true;
      const waiters = this.waiters;
      this.waiters = [];
      for (const fn of waiters) if (fn(inFlight(turn)) === false) this.waiters.push(fn);
    }
  }

  private forwardHeld(link: Link): void {
    const held = link.held ?? [];
    link.held = null;
    for (const chunk of held) link.upstream.write(chunk);
    if (link.turn && link.turn.remaining !== null && link.turn.remaining <= 0) this.sent(link);
    // A client that went away meanwhile: MO gets the request all the same, and sees the client leave after it.
    if (link.clientGone && this.late?.link !== link) link.upstream.end();
  }

  private release(): void {
    const late = this.late;
    if (!late || late.released) return;
    if (late.timer) clearTimeout(late.timer);
    late.released = true;
    this.forwardHeld(late.link);
  }

  private lateAnswered(): void {
    const late = this.late!;
    this.late = null;
    if (late.link.clientGone) late.link.upstream.end();
    late.answered();
    const behind = this.behind;
    this.behind = [];
    for (const link of behind) this.forwardHeld(link);
  }

  private clientGone(link: Link): void {
    if (link.clientGone) return;
    link.clientGone = true;
    // Like a crash seen through TCP: MO gets the end of the connection after what it was sent (a held request
    // is still to be sent, and MO's answer to it still to come).
    if (!link.held && this.late?.link !== link) link.upstream.end();
  }

  private upstreamGone(link: Link): void {
    this.links.delete(link);
    link.client.destroy();
    // MO closed without answering the released write: nothing more to wait for.
    if (this.late?.link === link && this.late.released) this.lateAnswered();
  }

  /** Follows a request through its chunks: headers (OS2MO's bearer tokens alone are kilobytes), then the body. True once it is complete. */
  private follow(link: Link, chunk: Buffer): boolean {
    if (!link.turn) link.turn = { head: '', remaining: null, write: false, body: '', sentAt: null, announced: false };
    const turn = link.turn;
    let text = chunk.toString('latin1');
    if (turn.remaining === null) {
      turn.head += text;
      const end = turn.head.indexOf('\r\n\r\n');
      if (end < 0) return false;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(turn.head.slice(0, end));
      turn.remaining = length ? Number(length[1]) : 0;
      text = turn.head.slice(end + 4);
      turn.head = '';
    }
    turn.remaining -= Buffer.byteLength(text, 'latin1');
    if (turn.body.length < 64 || turn.write) turn.body += text;
    if (!turn.write && turn.body.length >= 64) {
      turn.write = /^\{"query"\s*:\s*"\s*mutation\b/.test(turn.body);
      if (!turn.write) turn.body = '';
    }
    return turn.remaining <= 0;
  }

  async shut(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (this.late?.timer) clearTimeout(this.late.timer);
    this.late?.answered();
    this.late = null;
    this.behind = [];
    for (const link of this.links) {
      link.client.destroy();
      link.upstream.destroy();
    }
    this.links.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function inFlight(turn: Turn): InFlightWrite {
  const fields: Record<string, number> = {};
  for (const [, field] of turn.body.matchAll(/\bm\d+: (\w+)\(/g)) fields[field!] = (fields[field!] ?? 0) + 1;
  const mutations = Object.values(fields).reduce((n, c) => n + c, 0);
  return { mutations, fields, sinceMs: turn.sentAt === null ? 0 : Date.now() - turn.sentAt };
}
