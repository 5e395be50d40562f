// moflow's custom search attributes (dump timestamp, municipality) must be registered before a run can set
// them. The dev server gets them as start flags (devServer.ts); a self-hosted server (docker-compose.yml)
// gets them here, from `moflow schedules apply` and the worker's start. Temporal Cloud refuses the operator
// API to API keys: there, register them once in the Cloud UI or with tcld.
import type { Connection } from '@temporalio/client';
import { MOFLOW_SEARCH_ATTRIBUTES } from '../../workflows/definitions.js';

/** temporal.api.enums.v1.IndexedValueType (the proto package is not a direct dependency). */
const INDEXED_VALUE_TYPE: Record<(typeof MOFLOW_SEARCH_ATTRIBUTES)[keyof typeof MOFLOW_SEARCH_ATTRIBUTES], number> = { Keyword: 2, Datetime: 6 };

/** Registers the attributes that are missing; returns their names (empty when all were there). */
export async function ensureSearchAttributes(connection: Pick<Connection, 'operatorService'>, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = Object.entries(MOFLOW_SEARCH_ATTRIBUTES).filter(([name]) => !(name in (customAttributes ?? {})));
  if (missing.length === 0) return [];
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, INDEXED_VALUE_TYPE[type]])),
  });
  return missing.map(([name]) => name);
}
