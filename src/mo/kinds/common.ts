// What every kind shares: the temporal object shape, mapping MO's snake_case rows to moflow's camelCase
// (plainly: these run once per slice on the 100,000-object read path), and turning moflow's inputs into
// MO's (days in, `validity { from to }` out, `to` exclusive).
import { assertDay, dayFromMo, type Day } from '../time.js';

/** An object with the slices of it that were read (one for a current read), oldest first. */
export interface MoTemporal<S> {
  uuid: string;
  validities: S[];
}

/** Every slice carries its validity in days: [from, to), null = open. */
export interface SliceBase {
  from: Day | null;
  to: Day | null;
  userKey: string;
}

export interface RawValidity {
  from: string | null;
  to: string | null;
}

export interface RawSlice {
  user_key: string;
  validity: RawValidity;
}

export interface RawTemporal<R> {
  uuid: string;
  validities: R[];
}

export const uuidOf = (ref: { uuid: string } | null | undefined): string | null => (ref ? ref.uuid : null);

const byFrom = (a: SliceBase, b: SliceBase): number => (a.from === b.from ? 0 : a.from === null ? -1 : b.from === null ? 1 : a.from < b.from ? -1 : 1);

/** Maps a page of MO objects; slices sorted by `from` (MO does not promise an order). */
export function mapTemporal<R extends RawSlice, S extends SliceBase>(objects: readonly RawTemporal<R>[], mapSlice: (raw: R, from: Day | null, to: Day | null) => S): MoTemporal<S>[] {
  const out = new Array<MoTemporal<S>>(objects.length);
  for (let i = 0; i < objects.length; i++) {
    const object = objects[i] as RawTemporal<R>;
    const raws = object.validities;
    const validities = new Array<S>(raws.length);
    for (let j = 0; j < raws.length; j++) {
      const raw = raws[j] as R;
      validities[j] = mapSlice(raw, dayFromMo(raw.validity.from, 'floor'), dayFromMo(raw.validity.to, 'ceil'));
    }
    if (validities.length > 1) validities.sort(byFrom);
    out[i] = { uuid: object.uuid, validities };
  }
  return out;
}

/** For each moflow input field, MO's name; from/to/extensions are handled apart. */
export type FieldNames<I> = { readonly [K in Exclude<keyof I, 'from' | 'to' | 'extensions'>]-?: string };

/** Copies the fields that are set (undefined = leave out, so MO keeps the value; null is sent). */
export function mapFields<I extends object>(input: I, names: FieldNames<I>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(names) as (keyof FieldNames<I>)[]) {
    const value = input[key as keyof I];
    if (value !== undefined) out[names[key]] = value;
  }
  return out;
}

/** Validity of org functions and units (RAValidityInput): `from` required. */
export function validity(from: Day, to: Day | null | undefined): { from: Day; to: Day | null } {
  return { from: assertDay(from, 'validity from'), to: to === null || to === undefined ? null : assertDay(to, 'validity to') };
}

/** Validity of facets, classes and IT systems (ValidityInput): both ends may be open. */
export function openValidity(from: Day | null | undefined, to: Day | null | undefined): { from: Day | null; to: Day | null } {
  return { from: from === null || from === undefined ? null : assertDay(from, 'validity from'), to: to === null || to === undefined ? null : assertDay(to, 'validity to') };
}

/** `{uuid, to}`: inactive from `to` on; `{uuid, from, to}`: inactive only in [from, to). */
export interface TerminateInput {
  uuid: string;
  to: Day;
  from?: Day;
}

export function terminateInput(input: TerminateInput): Record<string, unknown> {
  const out: Record<string, unknown> = { uuid: input.uuid, to: assertDay(input.to, 'terminate to') };
  if (input.from !== undefined) out.from = assertDay(input.from, 'terminate from');
  return out;
}

export interface DeleteInput {
  uuid: string;
}

/** Delete mutations take the bare `uuid` argument. */
export const deleteInput = (input: DeleteInput): string => input.uuid;

/** Filters MO would answer with nothing: an empty list of uuids, keys or CPRs. */
export function isEmptySelection(filter: object): boolean {
  return Object.values(filter).some((v) => Array.isArray(v) && v.length === 0);
}
