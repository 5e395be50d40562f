// The shapes every document module builds on: paged reads (validities or current) and mutations that
// return `{ uuid }`. The text is generated from a few names so that every read pages the same way and
// every mutation can also go into a batch; values only ever travel as variables.
import type { MoDocument } from '../transport.js';

export type MoKind = 'facet' | 'class' | 'itSystem' | 'orgUnit' | 'person' | 'engagement' | 'address' | 'manager' | 'itUser' | 'roleBinding';
export type MoAction = 'create' | 'update' | 'terminate' | 'delete';

/** A paged read of one collection: `$filter`, `$cursor`, `$limit` and the time-window variables. */
export interface ReadDocument extends MoDocument {
  /** The root field, e.g. `engagements`; its value is `{ objects, page_info { next_cursor } }`. */
  collection: string;
  /** `validities(start: $start, end: $end)` or `current(at: $at)`. */
  view: 'validities' | 'current';
}

export interface MutationSpec {
  kind: MoKind;
  action: MoAction;
  /** MO's mutation, e.g. `engagement_create`. */
  field: string;
  /** `input` for create/update/terminate, `uuid` for delete. */
  argument: 'input' | 'uuid';
  /** e.g. `EngagementCreateInput!` or `UUID!`. */
  argumentType: string;
  /** The list-taking mutation doing the same (`engagements_create`), null when MO has none. */
  bulkField: string | null;
  /** The document sending this mutation alone: `$input` (or `$uuid`). */
  document: MoDocument;
  /** The document sending the bulk mutation alone: `$input: [X!]!`; null without a bulk field. */
  bulkDocument: MoDocument | null;
}

const PAGE_VARIABLES = '$filter: %FILTER%, $cursor: Cursor, $limit: int';

function pascal(snake: string): string {
  return snake.replace(/(^|_)([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase());
}

function pagedQuery(operationName: string, collection: string, filterType: string, extraVariables: string, objectSelection: string): string {
  return (
    `query ${operationName}(${PAGE_VARIABLES.replace('%FILTER%', filterType)}${extraVariables}) {\n` +
    `  ${collection}(filter: $filter, cursor: $cursor, limit: $limit) {\n` +
    `    objects { ${objectSelection} }\n` +
    `    page_info { next_cursor }\n` +
    `  }\n` +
    `}\n`
  );
}

/** Every slice of each object overlapping the window `$start`..`$end`. */
export function validitiesRead(operationName: string, collection: string, filterType: string, fields: string): ReadDocument {
  const text = pagedQuery(operationName, collection, filterType, ', $start: DateTime, $end: DateTime', `uuid validities(start: $start, end: $end) { ${fields} }`);
  return { operationName, text, mutation: false, collection, view: 'validities' };
}

/** The slice of each object valid at `$at` (default now). */
export function currentRead(operationName: string, collection: string, filterType: string, fields: string): ReadDocument {
  const text = pagedQuery(operationName, collection, filterType, ', $at: DateTime', `uuid current(at: $at) { ${fields} }`);
  return { operationName, text, mutation: false, collection, view: 'current' };
}

/** `field` with `input: <inputType>!` (or `uuid: UUID!` for delete), optionally with its bulk twin. */
export function mutation(kind: MoKind, action: MoAction, field: string, inputType: string | null, bulkField: string | null = null): MutationSpec {
  const argument = inputType === null ? 'uuid' : 'input';
  const argumentType = inputType === null ? 'UUID!' : `${inputType}!`;
  const single = `Mo${pascal(field)}`;
  const document: MoDocument = {
    operationName: single,
    text: `mutation ${single}($${argument}: ${argumentType}) {\n  ${field}(${argument}: $${argument}) { uuid }\n}\n`,
    mutation: true,
  };
  let bulkDocument: MoDocument | null = null;
  if (bulkField !== null) {
    const bulk = `Mo${pascal(bulkField)}`;
    bulkDocument = { operationName: bulk, text: `mutation ${bulk}($input: [${inputType}!]!) {\n  ${bulkField}(input: $input) { uuid }\n}\n`, mutation: true };
  }
  return { kind, action, field, argument, argumentType, bulkField, document, bulkDocument };
}

/** The validity selection every temporal object shares. */
export const VALIDITY = 'validity { from to }';
