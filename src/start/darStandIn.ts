// A local stand-in for DAR that knows a fixed address book, for `npm start`'s sample municipality: its
// addresses are invented, so the real DAR has none of them, and with DAR off the demo's organisation.csv had
// no street, postcode or city. It speaks the part of DAWA's protocol moflow and the local MO use:
// - address cleansing: `GET /datavask/{adresser|adgangsadresser}?betegnelse=<street>, <postcode>` answers
//   category A with the one address it knows by that text, else DAR's 404;
// - look-ups by uuid: `GET /{adresser|adgangsadresser}/{id}` and `GET /{…}?id=a|b&struktur=mini` (a list),
//   also under `historik/`, in DAWA's "mini" structure.
// An address's uuid follows from its text, so a second `npm start` finds the uuids MO already holds.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from '../util/ports.js';

/** An address as a dump writes it: "Skolevej 12" or "Skolevej 12, 2. th", postcode, city. */
export interface BookAddress {
  street: string;
  postcode: string;
  city: string;
}

/** DAWA's fields of an address that say where it is. */
export interface DarAddressFields {
  vejnavn: string;
  husnr: string;
  etage?: string | null;
  dør?: string | null;
  supplerendebynavn?: string | null;
  postnr: string;
  postnrnavn: string;
  kommunekode?: string;
  vejkode?: string;
}

export interface DarAddress extends DarAddressFields {
  id: string;
}

export type DarAddressKind = 'adresse' | 'adgangsadresse';

export interface DarStandIn {
  readonly url: string;
  /** How many addresses it knows. */
  readonly size: number;
  stop(): Promise<void>;
}

/** DAWA's `betegnelse` of an address: "Vej 1, 2. th, Suppl. by, 8000 By" (apiSpecification/util.js). */
export function betegnelse(address: DarAddressFields, kind: DarAddressKind = 'adresse'): string {
  let text = address.vejnavn;
  if (address.husnr) text += ` ${address.husnr}`;
  if (kind === 'adresse') {
    const etage = address.etage ?? null;
    const dør = address.dør ?? null;
    if (etage !== null || dør !== null) text += ',';
    if (etage !== null) text += ` ${etage}.`;
    if (dør !== null) text += ` ${dør}`;
  }
  if (address.supplerendebynavn) text += `, ${address.supplerendebynavn}`;
  return `${text}, ${address.postnr} ${address.postnrnavn}`;
}

/** A stable uuid from a text (an address's, or its access address's). */
export function uuidFrom(text: string): string {
  const h = createHash('md5').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** DAWA's `struktur=mini` of an address (adresser) or an access address (adgangsadresser). */
export function miniStructure(a: DarAddress, kind: DarAddressKind, base: string): Record<string, unknown> {
  const common = { id: a.id, status: 1, darstatus: 3, vejkode: a.vejkode ?? '0001', vejnavn: a.vejnavn, adresseringsvejnavn: a.vejnavn, husnr: a.husnr };
  const place = {
    supplerendebynavn: a.supplerendebynavn ?? null,
    postnr: a.postnr,
    postnrnavn: a.postnrnavn,
    stormodtagerpostnr: null,
    stormodtagerpostnrnavn: null,
    kommunekode: a.kommunekode ?? '0101',
  };
  const where = { x: 10.2039, y: 56.1629 };
  if (kind === 'adgangsadresse') return { ...common, ...place, ...where, href: `${base}/adgangsadresser/${a.id}`, betegnelse: betegnelse(a, kind) };
  return {
    ...common,
    etage: a.etage ?? null,
    dør: a.dør ?? null,
    ...place,
    adgangsadresseid: uuidFrom(`adgangsadresse:${a.id}`),
    ...where,
    href: `${base}/adresser/${a.id}`,
    betegnelse: betegnelse(a, kind),
  };
}

const HOUSE = /^(.*\S)\s+(\d+\s?[A-Za-z]?)$/;
const FLOOR_DOOR = /^(?:(st|kl|\d{1,2})\.)?\s*(tv|th|mf|\d{1,4})?$/i;

/** DAWA's fields of a dump's address, or null when the street has no house number (DAR would not know it). */
export function darFields(address: BookAddress): DarAddressFields | null {
  const [streetPart = '', floorPart, ...rest] = address.street.split(',').map((p) => p.trim());
  const house = HOUSE.exec(streetPart);
  if (!house || rest.length > 0 || !/^\d{4}$/.test(address.postcode.trim()) || address.city.trim() === '') return null;
  const floorDoor = floorPart !== undefined ? FLOOR_DOOR.exec(floorPart) : null;
  if (floorPart !== undefined && !floorDoor) return null;
  return {
    vejnavn: house[1]!,
    husnr: house[2]!.replace(/\s/g, ''),
    etage: floorDoor?.[1] ?? null,
    dør: floorDoor?.[2] ?? null,
    postnr: address.postcode.trim(),
    postnrnavn: address.city.trim(),
  };
}

/** Starts the stand-in on 127.0.0.1 (a free port unless one is given) knowing these addresses. */
export async function startDarStandIn(addresses: Iterable<BookAddress>, options: { port?: number } = {}): Promise<DarStandIn> {
  // By the text moflow cleanses ("<street>, <postcode>", DIPEX's), and by uuid.
  const byText = new Map<string, DarAddress>();
  const byId = new Map<string, DarAddress>();
  for (const address of addresses) {
    const fields = darFields(address);
    const text = `${address.street.trim()}, ${address.postcode.trim()}`;
    if (!fields || byText.has(text)) continue;
    const known = { ...fields, id: uuidFrom(`adresse:${betegnelse(fields)}`) };
    byText.set(text, known);
    byId.set(known.id, known);
  }
  let base = '';
  const server = createServer((req, res) => handle(req, res));
  await listen(server, options.port ?? 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://dar');
    const datavask = /^\/datavask\/(adresser|adgangsadresser)$/.exec(url.pathname);
    const text = url.searchParams.get('betegnelse');
    if (req.method === 'GET' && datavask && text !== null) {
      const found = datavask[1] === 'adresser' ? byText.get(text.trim()) : undefined;
      if (!found) return notFound(res);
      return send(res, 200, { kategori: 'A', resultater: [{ adresse: miniStructure(found, 'adresse', base), aktueladresse: null, vaskeresultat: { afstand: 0 } }] });
    }
    const lookup = /^\/(historik\/)?(adresser|adgangsadresser)(?:\/([^/]+))?$/.exec(url.pathname);
    if (req.method === 'GET' && lookup) {
      // This book has addresses only (no access addresses) and no history.
      const has = (id: string) => (lookup[1] === undefined && lookup[2] === 'adresser' ? byId.get(id.toLowerCase()) : undefined);
      if (lookup[3] !== undefined) {
        const one = has(lookup[3]);
        return one ? send(res, 200, miniStructure(one, 'adresse', base)) : notFound(res);
      }
      const ids = (url.searchParams.get('id') ?? '').split('|').filter((s) => s !== '');
      return send(res, 200, ids.flatMap((id) => (has(id) ? [miniStructure(has(id)!, 'adresse', base)] : [])));
    }
    notFound(res);
  }

  return {
    url: base,
    size: byId.size,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function notFound(res: ServerResponse): void {
  send(res, 404, { type: 'ResourceNotFoundError', title: 'The resource was not found', details: {} });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
