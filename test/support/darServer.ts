// A local stand-in for DAR (the public service is the one thing no test can run), speaking DAWA's protocol
// for the two things asked of it:
// - moflow's address cleansing: `GET /datavask/adresser` and `GET /datavask/adgangsadresser?betegnelse=…`,
//   answering per betegnelse as configured, shaped like DAWA's answers;
// - look-ups by uuid, as OS2MO's DAR client (fastramqpi's AsyncDARClient) and the local MO make them:
//   `GET /{adresser|adgangsadresser}/{id}?struktur=mini` and `GET /{…}?id=a|b|…&struktur=mini` (a list, `[]`
//   when none is known), and the same on `historik/adresser` and `historik/adgangsadresser`, which OS2MO
//   asks for what the first two did not know. Answers are DAWA's "mini" structure of the addresses DAR has:
//   the ones a test gives it (`know`), and every address a cleansing answer named (DAR only ever cleanses to
//   addresses it has). `forget` takes one away again, as DAR does with a withdrawn address.
// It counts requests and the most it had in flight at once.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { betegnelse, miniStructure as mini, type DarAddress, type DarAddressFields, type DarAddressKind } from '../../src/start/darStandIn.js';

// The address types and DAWA's shapes are npm start's stand-in's (src/start/darStandIn.ts): one definition.
export { betegnelse, type DarAddress, type DarAddressFields, type DarAddressKind };

export type DarResource = 'adresser' | 'adgangsadresser';

/** Where addresses are looked up by uuid: the current registers and their history. */
export type DarLookupResource = DarResource | 'historik/adresser' | 'historik/adgangsadresser';

/** One answer: a status and JSON body (or raw text), optionally after a delay. */
export interface DarReply {
  status?: number;
  body?: unknown;
  raw?: string;
  delayMs?: number;
}

/** A reply, or replies used in turn for successive requests (the last one repeats). */
export type DarScript = DarReply | DarReply[];

export interface DarRequest {
  resource: DarResource;
  betegnelse: string;
}

/** A look-up by uuid: one uuid (`/adresser/{id}`) or a list (`/adresser?id=a|b`). */
export interface DarLookupRequest {
  resource: DarLookupResource;
  ids: string[];
  list: boolean;
}

const DEFAULT_FIELDS: DarAddressFields = { vejnavn: 'Paradisæblevej', husnr: '1', postnr: '8880', postnrnavn: 'Andeby' };

export class DarServer {
  /** Cleansing requests (datavask). */
  readonly requests: DarRequest[] = [];
  /** Look-ups by uuid. */
  readonly lookups: DarLookupRequest[] = [];
  /** Paths of requests this stand-in does not serve (answered with DAR's JSON 404, or 400 for a query it cannot answer). */
  readonly strays: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly scripts = new Map<string, { adresser?: DarScript; adgangsadresser?: DarScript }>();
  private readonly served = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly known = new Map<string, { kind: DarAddressKind; address: DarAddress }>();

  private constructor(
    private readonly server: Server,
    /** The answer for a betegnelse nobody configured (default: DAR's 404). */
    public fallback: (resource: DarResource, betegnelse: string) => DarReply,
  ) {}

  static async start(options: { fallback?: (resource: DarResource, betegnelse: string) => DarReply } = {}): Promise<DarServer> {
    let self: DarServer | null = null;
    const server = createServer((req, res) => self!.handle(req, res));
    self = new DarServer(server, options.fallback ?? (() => dar.notFound()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  private port = 0;

  get url(): string {
    this.port ||= (this.server.address() as AddressInfo).port;
    return `http://127.0.0.1:${this.port}`;
  }

  /** Configures the answers for one betegnelse ("Paradisæblevej 1, 8880"); an unset resource gets the fallback. */
  answer(betegnelse: string, scripts: { adresser?: DarScript; adgangsadresser?: DarScript }): void {
    this.scripts.set(betegnelse, scripts);
    for (const r of ['adresser', 'adgangsadresser']) this.served.delete(`${r}|${betegnelse}`);
  }

  /** DAR has this address from now on (an `adresse` unless said otherwise); returns its DAWA betegnelse. */
  know(address: DarAddress, kind: DarAddressKind = 'adresse'): string {
    const id = address.id.toLowerCase();
    this.known.set(id, { kind, address: { ...address, id } });
    return betegnelse(address, kind);
  }

  /** DAR no longer has this address (a withdrawn address): look-ups find nothing. */
  forget(id: string): void {
    this.known.delete(id.toLowerCase());
  }

  /** The address DAR has under this uuid, if any. */
  knows(id: string): (DarAddress & { kind: DarAddressKind }) | null {
    const entry = this.known.get(id.toLowerCase());
    return entry ? { ...entry.address, kind: entry.kind } : null;
  }

  /** Cleansing requests so far, optionally only for one betegnelse and/or resource. */
  count(filter: { betegnelse?: string; resource?: DarResource } = {}): number {
    return this.requests.filter((r) => (filter.betegnelse === undefined || r.betegnelse === filter.betegnelse) && (filter.resource === undefined || r.resource === filter.resource)).length;
  }

  /** Look-ups by uuid so far that asked about this uuid (or any, without one). */
  lookupCount(filter: { id?: string; resource?: DarLookupResource } = {}): number {
    const id = filter.id?.toLowerCase();
    return this.lookups.filter((l) => (id === undefined || l.ids.includes(id)) && (filter.resource === undefined || l.resource === filter.resource)).length;
  }

  resetCounts(): void {
    this.requests.length = 0;
    this.lookups.length = 0;
    this.strays.length = 0;
    this.maxInFlight = 0;
  }

  /**
   * DAR cannot be reached until the returned function is called: the port is closed (connections are refused,
   * as by a DAR that is down) and then listened on again, so the URL stays the same.
   */
  async unreachable(): Promise<() => Promise<void>> {
    const port = new URL(this.url).port;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
    return () => new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(Number(port), '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://dar');
    const datavask = /^\/datavask\/(adresser|adgangsadresser)$/.exec(url.pathname);
    const betegnelse = url.searchParams.get('betegnelse');
    if (req.method === 'GET' && datavask && betegnelse !== null) {
      this.cleanse(datavask[1] as DarResource, betegnelse, res);
      return;
    }
    const lookup = /^\/((?:historik\/)?(?:adresser|adgangsadresser))(?:\/([^/]+))?$/.exec(url.pathname);
    if (req.method === 'GET' && lookup) {
      this.lookUp(lookup[1] as DarLookupResource, lookup[2] ?? null, url, res);
      return;
    }
    this.strays.push(url.pathname);
    send(res, { status: 404, body: { type: 'ResourceNotFoundError', title: 'The resource was not found' } });
  }

  private cleanse(resource: DarResource, betegnelse: string, res: ServerResponse): void {
    this.requests.push({ resource, betegnelse });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.once('close', () => this.inFlight--);
    const reply = this.next(resource, betegnelse);
    this.learnFrom(resource, reply);
    if (!reply.delayMs) {
      send(res, reply);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!res.destroyed) send(res, reply);
    }, reply.delayMs);
    this.timers.add(timer);
  }

  /** A cleansing answer names addresses DAR has: from now on they can be looked up by uuid. */
  private learnFrom(resource: DarResource, reply: DarReply): void {
    const results = (reply.body as { resultater?: unknown } | undefined)?.resultater;
    if ((reply.status ?? 200) !== 200 || !Array.isArray(results)) return;
    for (const r of results as { adresse?: Partial<DarAddress> }[]) {
      const a = r?.adresse;
      if (!a || typeof a.id !== 'string' || !UUID.test(a.id) || this.known.has(a.id.toLowerCase())) continue;
      const { id, vejnavn, husnr, etage, dør, supplerendebynavn, postnr, postnrnavn } = a;
      if (typeof vejnavn !== 'string' || typeof husnr !== 'string' || typeof postnr !== 'string' || typeof postnrnavn !== 'string') continue;
      this.know({ id, vejnavn, husnr, etage: etage ?? null, dør: dør ?? null, supplerendebynavn: supplerendebynavn ?? null, postnr, postnrnavn }, resource === 'adresser' ? 'adresse' : 'adgangsadresse');
    }
  }

  /**
   * DAWA's look-up by uuid: one address (404 when DAR has none) or a list by `id=a|b|…` (200, the ones it
   * has). Only the mini structure is served; the history registers hold nothing (this DAR has no history).
   */
  private lookUp(resource: DarLookupResource, single: string | null, url: URL, res: ServerResponse): void {
    const params = [...url.searchParams.keys()].filter((k) => k !== 'struktur' && k !== 'noformat' && k !== 'id');
    const struktur = url.searchParams.get('struktur');
    const ids = single !== null ? [single] : (url.searchParams.get('id') ?? '').split('|').filter((s) => s !== '');
    if (struktur !== 'mini' || params.length > 0 || (single === null && ids.length === 0)) {
      // DAWA would answer these (nestet/flad structures, searches); this stand-in does not pretend to.
      this.strays.push(`${url.pathname}${url.search}`);
      send(res, { status: 400, body: { type: 'QueryParameterFormatError', title: 'moflow’s DAR stand-in answers look-ups by id with struktur=mini only' } });
      return;
    }
    const lower = ids.map((id) => id.toLowerCase());
    this.lookups.push({ resource, ids: lower, list: single === null });
    const kind: DarAddressKind | null = resource === 'adresser' ? 'adresse' : resource === 'adgangsadresser' ? 'adgangsadresse' : null;
    const found = lower.flatMap((id) => {
      const entry = this.known.get(id);
      return entry && kind !== null && entry.kind === kind ? [mini(entry.address, kind, this.url)] : [];
    });
    if (single === null) send(res, { body: found });
    else if (found.length === 1) send(res, { body: found[0] });
    else send(res, { status: 404, body: { type: 'ResourceNotFoundError', title: 'The resource was not found', details: { id: single } } });
  }

  private next(resource: DarResource, betegnelse: string): DarReply {
    const script = this.scripts.get(betegnelse)?.[resource];
    if (script === undefined) return this.fallback(resource, betegnelse);
    if (!Array.isArray(script)) return script;
    const key = `${resource}|${betegnelse}`;
    const n = this.served.get(key) ?? 0;
    this.served.set(key, n + 1);
    return script[Math.min(n, script.length - 1)]!;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function send(res: ServerResponse, reply: DarReply): void {
  const text = reply.raw ?? JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status ?? 200, { 'content-type': reply.raw !== undefined ? 'text/html' : 'application/json; charset=utf-8' });
  res.end(text);
}

/** One `resultater` entry as DAWA writes it (abridged); the address is Paradisæblevej 1, 8880 Andeby unless given. */
function result(id: string, fields: DarAddressFields = DEFAULT_FIELDS) {
  return {
    adresse: {
      id,
      vejnavn: fields.vejnavn,
      adresseringsvejnavn: fields.vejnavn,
      husnr: fields.husnr,
      etage: fields.etage ?? null,
      dør: fields.dør ?? null,
      supplerendebynavn: fields.supplerendebynavn ?? null,
      postnr: fields.postnr,
      postnrnavn: fields.postnrnavn,
      status: 1,
      href: `https://api.dataforsyningen.dk/adresser/${id}`,
    },
    aktueladresse: null,
    vaskeresultat: { variant: {}, afstand: 0, forskelle: {}, parsetadresse: {}, ukendtetokens: [], anvendtstormodtagerpostnummer: null },
  };
}

/** Answers in DAR's shapes. */
export const dar = {
  /** One certain match: the address `fields` (default Paradisæblevej 1, 8880 Andeby) under `id`. */
  found: (id: string, category: 'A' | 'B' = 'A', fields?: DarAddressFields): DarReply => ({ body: { kategori: category, resultater: [result(id, fields)] } }),
  /** Category C: candidates, none certain. */
  uncertain: (candidates = 3): DarReply => ({ body: { kategori: 'C', resultater: Array.from({ length: candidates }, () => result(randomUUID())) } }),
  several: (ids: string[], category: 'A' | 'B' = 'B'): DarReply => ({ body: { kategori: category, resultater: ids.map((id) => result(id)) } }),
  notFound: (): DarReply => ({ status: 404, body: { type: 'ResourceNotFoundError', title: 'The resource was not found', details: {} } }),
  status: (status: number, delayMs?: number): DarReply => ({ status, body: { type: 'InternalError', title: `HTTP ${status}` }, ...(delayMs ? { delayMs } : {}) }),
  slow: (reply: DarReply, delayMs: number): DarReply => ({ ...reply, delayMs }),
};
