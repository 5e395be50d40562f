// A local stand-in for DAR's address cleansing (the public service is the one thing no test can run):
// `GET /datavask/adresser` and `GET /datavask/adgangsadresser?betegnelse=…`, answering per betegnelse as
// configured, shaped like DAWA's answers. It counts requests and the most it had in flight at once.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type DarResource = 'adresser' | 'adgangsadresser';

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

export class DarServer {
  readonly requests: DarRequest[] = [];
  /** Paths of requests that were not datavask requests (answered with DAR's JSON 404). */
  readonly strays: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly scripts = new Map<string, { adresser?: DarScript; adgangsadresser?: DarScript }>();
  private readonly served = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();

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

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Configures the answers for one betegnelse ("Paradisæblevej 1, 8880"); an unset resource gets the fallback. */
  answer(betegnelse: string, scripts: { adresser?: DarScript; adgangsadresser?: DarScript }): void {
    this.scripts.set(betegnelse, scripts);
    for (const r of ['adresser', 'adgangsadresser']) this.served.delete(`${r}|${betegnelse}`);
  }

  /** Requests so far, optionally only for one betegnelse and/or resource. */
  count(filter: { betegnelse?: string; resource?: DarResource } = {}): number {
    return this.requests.filter((r) => (filter.betegnelse === undefined || r.betegnelse === filter.betegnelse) && (filter.resource === undefined || r.resource === filter.resource)).length;
  }

  resetCounts(): void {
    this.requests.length = 0;
    this.strays.length = 0;
    this.maxInFlight = 0;
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
    const match = /^\/datavask\/(adresser|adgangsadresser)$/.exec(url.pathname);
    const betegnelse = url.searchParams.get('betegnelse');
    if (req.method !== 'GET' || !match || betegnelse === null) {
      this.strays.push(url.pathname);
      send(res, { status: 404, body: { type: 'ResourceNotFoundError', title: 'The resource was not found' } });
      return;
    }
    const resource = match[1] as DarResource;
    this.requests.push({ resource, betegnelse });
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.once('close', () => this.inFlight--);
    const reply = this.next(resource, betegnelse);
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

function send(res: ServerResponse, reply: DarReply): void {
  const text = reply.raw ?? JSON.stringify(reply.body ?? {});
  res.writeHead(reply.status ?? 200, { 'content-type': reply.raw !== undefined ? 'text/html' : 'application/json; charset=utf-8' });
  res.end(text);
}

/** One `resultater` entry as DAWA writes it (abridged). */
function result(id: string) {
  return {
    adresse: {
      id,
      vejnavn: 'Paradisæblevej',
      husnr: '1',
      etage: null,
      dør: null,
      postnr: '8880',
      postnrnavn: 'Andeby',
      status: 1,
      href: `https://api.dataforsyningen.dk/adresser/${id}`,
    },
    aktueladresse: null,
    vaskeresultat: { variant: {}, afstand: 0, forskelle: {}, parsetadresse: {}, ukendtetokens: [], anvendtstormodtagerpostnummer: null },
  };
}

/** Answers in DAR's shapes. */
export const dar = {
  found: (id: string, category: 'A' | 'B' = 'A'): DarReply => ({ body: { kategori: category, resultater: [result(id)] } }),
  /** Category C: candidates, none certain. */
  uncertain: (candidates = 3): DarReply => ({ body: { kategori: 'C', resultater: Array.from({ length: candidates }, () => result(randomUUID())) } }),
  several: (ids: string[], category: 'A' | 'B' = 'B'): DarReply => ({ body: { kategori: category, resultater: ids.map(result) } }),
  notFound: (): DarReply => ({ status: 404, body: { type: 'ResourceNotFoundError', title: 'The resource was not found', details: {} } }),
  status: (status: number, delayMs?: number): DarReply => ({ status, body: { type: 'InternalError', title: `HTTP ${status}` }, ...(delayMs ? { delayMs } : {}) }),
  slow: (reply: DarReply, delayMs: number): DarReply => ({ ...reply, delayMs }),
};
