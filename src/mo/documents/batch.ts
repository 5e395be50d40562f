// Several mutations in ONE request, which MO applies all-or-nothing (one transaction per request,
// rolled back on any error). Segment i is the aliased field `m<i>` with the variable `$i<i>`: a single
// mutation, or a bulk mutation over a list. The text depends only on the sequence of segments, so the
// same shape always gives the same document (cacheable, and validated by test/mo/documents.test.ts).
import type { MoDocument } from '../transport.js';
import type { MutationSpec } from './spec.js';

export interface BatchSegment {
  spec: MutationSpec;
  /** Use the spec's bulk field with a list variable (the spec must have one). */
  bulk: boolean;
}

export const BATCH_OPERATION_NAME = 'MoBatch';

export const aliasOf = (segment: number): string => `m${segment}`;
export const variableOf = (segment: number): string => `i${segment}`;

/** `m12` → 12; null for anything else. */
export function segmentOfAlias(alias: unknown): number | null {
  if (typeof alias !== 'string') return null;
  const m = /^m(\d+)$/.exec(alias);
  return m ? Number(m[1]) : null;
}

const cache = new Map<string, MoDocument>();
const CACHE_LIMIT = 512;

export function batchDocument(segments: readonly BatchSegment[]): MoDocument {
  if (segments.length === 0) throw new Error('a batch needs at least one mutation');
  const shape = segments.map((s) => (s.bulk ? `${s.spec.bulkField}[]` : s.spec.field)).join(',');
  const hit = cache.get(shape);
  if (hit) return hit;
  const declarations: string[] = [];
  const fields: string[] = [];
  segments.forEach((segment, i) => {
    const { spec } = segment;
    if (segment.bulk) {
      if (spec.bulkField === null) throw new Error(`${spec.field} has no bulk mutation`);
      declarations.push(`$${variableOf(i)}: [${spec.argumentType}]!`);
      fields.push(`  ${aliasOf(i)}: ${spec.bulkField}(input: $${variableOf(i)}) { uuid }`);
    } else {
      declarations.push(`$${variableOf(i)}: ${spec.argumentType}`);
      fields.push(`  ${aliasOf(i)}: ${spec.field}(${spec.argument}: $${variableOf(i)}) { uuid }`);
    }
  });
  const document: MoDocument = {
    operationName: BATCH_OPERATION_NAME,
    text: `mutation ${BATCH_OPERATION_NAME}(${declarations.join(', ')}) {\n${fields.join('\n')}\n}\n`,
    mutation: true,
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(shape, document);
  return document;
}
