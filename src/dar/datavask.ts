// DAR's address cleansing ("datavask", GET {base}/datavask/{adresser|adgangsadresser}?betegnelse=…) and
// what the import accepts from it: category A (near-perfect) or B (unique) with exactly one result, whose
// `resultater[0].adresse.id` is the DAR uuid — os2mo_dar_client's `cleanse_single`, which DIPEX used.
// Category C (candidates, none certain) and several results are "no unique address".

/** The two cleansing resources, asked in this order: a unit-level address first, then the access address. */
export type DatavaskResource = 'adresser' | 'adgangsadresser';
export const DATAVASK_RESOURCES: readonly DatavaskResource[] = ['adresser', 'adgangsadresser'];

export type DatavaskVerdict = { accepted: true; uuid: string; category: 'A' | 'B' } | { accepted: false; reason: string };

/** An answer that is not a datavask answer at all (a proxy's page, a wrong base URL): DAR is not usable. */
export class DatavaskProtocolError extends Error {
  override name = 'DatavaskProtocolError';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Judges a parsed 200 answer; throws DatavaskProtocolError when it is not shaped like one. */
export function judgeDatavask(body: unknown): DatavaskVerdict {
  if (typeof body !== 'object' || body === null) throw new DatavaskProtocolError('the answer is not a JSON object');
  const { kategori, resultater } = body as { kategori?: unknown; resultater?: unknown };
  if (typeof kategori !== 'string' || !Array.isArray(resultater)) {
    throw new DatavaskProtocolError('the answer has no "kategori" and "resultater"');
  }
  if (kategori !== 'A' && kategori !== 'B') return { accepted: false, reason: `category ${kategori} (no certain match)` };
  if (resultater.length !== 1) return { accepted: false, reason: `category ${kategori} with ${resultater.length} results` };
  const id = (resultater[0] as { adresse?: { id?: unknown } } | null)?.adresse?.id;
  if (typeof id !== 'string' || !UUID.test(id)) throw new DatavaskProtocolError('the result has no address uuid (resultater[0].adresse.id)');
  return { accepted: true, uuid: id.toLowerCase(), category: kategori };
}

/** The text DAR cleanses: DIPEX's `f"{street}, {zip}"`. */
export function betegnelseOf(street: string, postalCode: string): string {
  return `${street.trim()}, ${postalCode.trim()}`;
}
