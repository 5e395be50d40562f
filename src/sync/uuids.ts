// Deterministic uuids. Units use DIPEX's `generate_uuid` exactly (spec §3.1), so an installation moving
// from DIPEX keeps every unit uuid. The other OPUS-owned objects get uuids from the same base and a kind
// prefix, so a retried create finds its own earlier write instead of duplicating it.
import { createHash } from 'node:crypto';

export function md5Uuid(text: string): string {
  const hex = createHash('md5').update(text, 'utf8').digest('hex');
  // Like Python's uuid.UUID(hex): no version bits are set.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export class OpusUuids {
  /** uuid.UUID(md5(municipality.name)) */
  readonly base: string;

  constructor(municipalityName: string) {
    this.base = md5Uuid(municipalityName);
  }

  /** DIPEX's generate_uuid(value): md5 of str(base) + str(value). Used for units and their parents. */
  unit(opusUnitId: string): string {
    return md5Uuid(this.base + opusUnitId);
  }

  /** OPUS-owned objects other than units, keyed by kind and a stable key (e.g. employment id). */
  of(kind: 'engagement' | 'manager' | 'address' | 'ituser' | 'rolebinding' | 'class' | 'itsystem', key: string): string {
    return md5Uuid(`${this.base}:${kind}:${key}`);
  }
}
