// The contract's language: a case is written once and run against each MO. It sends moflow's own documents
// (src/mo/documents) with uuids and CPR numbers it makes up itself — the same for both MOs within a run, new
// for every run, so a shared, long-lived OS2MO never sees one twice — asserts OS2MO's answers as measured
// against OS2MO 66.1.2, and records a transcript of every answer (data, error message, path and
// error_context) that the suite compares between the MOs when it runs against both.
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { batchDocument } from '../../../src/mo/documents/batch.js';
import { mutationSpec } from '../../../src/mo/documents/registry.js';
import type { MoAction, MoKind as DocKind, ReadDocument } from '../../../src/mo/documents/spec.js';
import type { MoDocument } from '../../../src/mo/transport.js';
import type { GraphQLAnswer } from '../../support/localmo.js';
import type { MoKind, MoUnderTest } from '../../support/moTargets.js';

/** One run's seed: every uuid and CPR number a case makes is derived from it. */
const RUN = process.env.MOFLOW_CONTRACT_RUN ?? randomUUID();

export interface StepRecord {
  label: string;
  operation: string;
  data: unknown;
  errors: { message: string; path: unknown; context: unknown }[];
}

/** case name → MO → what it answered, normalised (see normalise). */
export const transcripts = new Map<string, Map<MoKind, StepRecord[]>>();
/** The text of every document sent, for the coverage check. */
export const sentDocuments = new Set<string>();

export interface Refusal {
  key: string;
  status: number;
  description: string;
  /** The rest of error_context (org_unit_uuid, valid_from, …); exactly these. */
  extras?: Record<string, unknown>;
  /** The GraphQL message when it is not "ErrorCodes.<key>". */
  message?: string;
}

export interface SendOptions {
  /** error_context keys left out of the transcript (what the MOs may answer differently on purpose). */
  ignoreContext?: readonly string[];
}

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const ONE_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function hashUuid(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export class Contract {
  private readonly known = new Set<string>();
  private readonly steps: StepRecord[] = [];

  constructor(
    readonly mo: MoUnderTest,
    readonly caseName: string,
  ) {
    let byKind = transcripts.get(caseName);
    if (!byKind) transcripts.set(caseName, (byKind = new Map()));
    byKind.set(mo.kind, this.steps);
  }

  /** The case's uuid for a label: equal for both MOs in one run, new in every run. */
  id(label: string): string {
    const uuid = hashUuid(`${RUN}/${this.caseName}/${label}`);
    this.known.add(uuid);
    return uuid;
  }

  /** A CPR number of someone born 1950–1999 (7th digit 0–3), the same for both MOs in one run. */
  cpr(label: string): string {
    const h = createHash('sha256').update(`${RUN}/${this.caseName}/cpr/${label}`).digest();
    const pad = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${pad(1 + (h[0]! % 28))}${pad(1 + (h[1]! % 12))}${pad(50 + (h[2]! % 50))}${h[3]! % 4}${pad((h[4]! * 256 + h[5]!) % 1000, 3)}`;
  }

  /** Sends a document, records the normalised answer, and returns the raw one. */
  async send(label: string, document: MoDocument, variables: Record<string, unknown>, options: SendOptions = {}): Promise<GraphQLAnswer> {
    sentDocuments.add(document.text);
    const answer = await this.mo.gql(document.text, variables);
    const ignore = new Set(options.ignoreContext ?? []);
    const errors = answer.errors.map((e) => {
      const context = e.extensions?.error_context ? Object.fromEntries(Object.entries(e.extensions.error_context).filter(([k]) => !ignore.has(k))) : null;
      return { message: e.message, path: e.path ?? null, context };
    });
    this.steps.push(this.normalise({ label, operation: document.operationName, data: answer.data, errors }));
    return answer;
  }

  /** Sends a mutation of the registry alone: `$input`, or `$uuid` for a delete. */
  mutate(label: string, kind: DocKind, action: MoAction, value: unknown, options?: SendOptions): Promise<GraphQLAnswer> {
    const spec = mutationSpec(kind, action);
    return this.send(label, spec.document, { [spec.argument]: value }, options);
  }

  /** Sends the bulk twin of a mutation (`engagements_create`, …) with a list. */
  bulk(label: string, kind: DocKind, action: MoAction, values: unknown[]): Promise<GraphQLAnswer> {
    const spec = mutationSpec(kind, action);
    assert.ok(spec.bulkDocument, `${spec.field} has no bulk mutation`);
    return this.send(label, spec.bulkDocument, { input: values });
  }

  /** Several mutations in one request (moflow's MoBatch), applied all-or-nothing. */
  batch(label: string, segments: { kind: DocKind; action: MoAction; bulk?: boolean; value: unknown }[]): Promise<GraphQLAnswer> {
    const specs = segments.map((s) => ({ spec: mutationSpec(s.kind, s.action), bulk: s.bulk ?? false }));
    const variables = Object.fromEntries(segments.map((s, i) => [`i${i}`, s.value]));
    return this.send(label, batchDocument(specs), variables);
  }

  /** A read of the registry (all pages in one: no limit). */
  read(label: string, document: ReadDocument, variables: Record<string, unknown>): Promise<GraphQLAnswer> {
    return this.send(label, document, variables);
  }

  /** Sends and expects success; returns data. */
  async ok(label: string, document: MoDocument, variables: Record<string, unknown>): Promise<Record<string, any>> {
    return accepted(await this.send(label, document, variables), label);
  }

  /** Records the transcript with uuids this case did not make replaced by their order of appearance. */
  private normalise(step: StepRecord): StepRecord {
    const fresh = new Map<string, string>();
    const text = JSON.stringify(sortByUuid(step)).replace(UUID_RE, (u) => {
      if (this.known.has(u)) return u;
      if (!fresh.has(u)) fresh.set(u, `<uuid made by MO #${fresh.size + this.steps.length * 100}>`);
      return fresh.get(u)!;
    });
    return JSON.parse(text) as StepRecord;
  }
}

/** Lists of objects with uuids, and lists of uuids (OS2MO answers a manager's responsibility_uuids in no
 * fixed order), in uuid order; cursors hidden. */
function sortByUuid(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(sortByUuid);
    const keyed = items.every((v) => v !== null && typeof v === 'object' && typeof (v as { uuid?: unknown }).uuid === 'string');
    if (keyed) return [...items].sort((a, b) => String((a as { uuid: string }).uuid).localeCompare(String((b as { uuid: string }).uuid)));
    return items.length > 0 && items.every((v) => typeof v === 'string' && ONE_UUID.test(v)) ? [...items].sort() : items;
  }
  if (value !== null && typeof value === 'object') {
    // Cursors are opaque and differ between MOs: only whether there is a next page counts.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'next_cursor' && v !== null ? '<cursor>' : sortByUuid(v)]));
  }
  return value;
}

export function accepted(answer: GraphQLAnswer, label = ''): Record<string, any> {
  assert.deepEqual(answer.errors, [], `${label}: expected success`);
  assert.ok(answer.data, `${label}: expected data`);
  return answer.data;
}

/** OS2MO's business error, exactly: message, error_context, no data. */
export function refused(answer: GraphQLAnswer, expected: Refusal, label = ''): void {
  assert.equal(answer.errors.length, 1, `${label}: expected one error, got ${JSON.stringify(answer.errors)}`);
  const [error] = answer.errors;
  assert.deepEqual(
    { message: error!.message, context: error!.extensions?.error_context ?? null },
    {
      message: expected.message ?? `ErrorCodes.${expected.key}`,
      context: { error: true, error_key: expected.key, description: expected.description, status: expected.status, ...(expected.extras ?? {}) },
    },
    label,
  );
  assert.equal(answer.data, null, `${label}: a refused request writes nothing`);
}

/** A GraphQL error without error_context (OS2MO's own crash or a schema-level refusal). */
export function failed(answer: GraphQLAnswer, message: string | RegExp, label = ''): void {
  assert.equal(answer.errors.length, 1, `${label}: expected one error, got ${JSON.stringify(answer.errors)}`);
  const error = answer.errors[0]!;
  if (typeof message === 'string') assert.equal(error.message, message, label);
  else assert.match(error.message, message, label);
  assert.equal(error.extensions?.error_context, undefined, `${label}: no error_context`);
}

export const OUTSIDE_UNIT = { key: 'V_DATE_OUTSIDE_ORG_UNIT_RANGE', status: 400, description: 'Date range exceeds validity range of associated org unit.' };

/** V_DATE_OUTSIDE_ORG_UNIT_RANGE naming the unit and its validity as dates (null = open). */
export function outsideUnit(unit: string, validFrom: string | null, validTo: string | null): Refusal {
  return { ...OUTSIDE_UNIT, extras: { org_unit_uuid: unit, valid_from: validFrom, valid_to: validTo } };
}

export interface ContractCase {
  name: string;
  run(c: Contract): Promise<void>;
}
