// Creating an object again whose uuid MO already knows. The import creates engagements, manager roles,
// addresses, IT users and rolebindings with deterministic uuids; when such an object was ended from its start
// or deleted by hand, MO shows nothing, the plan creates it again, and MO refuses the uuid (E_ALREADY_EXISTS).
// Then the same write is tried as an update, which brings an ended object back under its own uuid; a deleted
// object cannot come back, so it is created under a new uuid derived from the old one, and the plan's later
// writes that refer to the old uuid are pointed at the new one.
import { MoError, type MoClient, type MoOperation } from '../mo/index.js';
import { md5Uuid } from './uuids.js';

const RECREATABLE = new Set(['engagement', 'manager', 'address', 'itUser', 'roleBinding']);
/** New uuids tried for an object deleted again and again. */
const ATTEMPTS = 5;

export function isTakenUuid(error: unknown): boolean {
  return error instanceof MoError && error.errorKey === 'E_ALREADY_EXISTS';
}

const isNotFound = (error: unknown) => error instanceof MoError && /^E_.*_NOT_FOUND$/.test(error.errorKey ?? '');

/**
 * Writes a refused create another way; returns the uuid now holding the object, or null when the kind is
 * not one the import re-creates. Errors other than "taken" and "not found" propagate.
 */
export async function recreate(client: MoClient, op: MoOperation): Promise<string | null> {
  if (op.action !== 'create' || !RECREATABLE.has(op.kind)) return null;
  const input = op.input as { uuid?: string; to?: string | null };
  if (input.uuid === undefined) return null;
  try {
    await client.write([{ ...op, action: 'update', input: { ...input, to: input.to ?? null } } as MoOperation], { batchSize: 1 });
    return input.uuid;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const uuid = derivedUuid(input.uuid, attempt);
    try {
      await client.write([{ ...op, input: { ...input, uuid } } as MoOperation], { batchSize: 1 });
      return uuid;
    } catch (error) {
      if (!isTakenUuid(error)) throw error;
    }
  }
  throw new MoError({ kind: 'mo', operationName: `${op.kind}_create`, errorKey: 'E_ALREADY_EXISTS', description: `${op.kind} ${input.uuid} was deleted, and so were ${ATTEMPTS} objects created in its place` });
}

function derivedUuid(old: string, attempt: number): string {
  return md5Uuid(`${old}:recreated:${attempt}`);
}

/** The operation with every reference to a renamed uuid (a field, or an entry of a list) pointed at the new one. */
export function remapUuids(op: MoOperation, renamed: ReadonlyMap<string, string>): MoOperation {
  if (renamed.size === 0) return op;
  let changed = false;
  const map = (v: unknown) => {
    const to = typeof v === 'string' ? renamed.get(v) : undefined;
    if (to === undefined) return v;
    changed = true;
    return to;
  };
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(op.input as unknown as Record<string, unknown>)) input[key] = Array.isArray(value) ? value.map(map) : map(value);
  return changed ? ({ ...op, input } as unknown as MoOperation) : op;
}
