// One GraphQL request, as MO runs it: parsed and validated against the real schema (cached by document
// text, since clients send the same documents with new variables), queries on the pool, and every
// mutation request in one transaction that any error rolls back (MO's RollbackOnError): all or nothing.
import { execute, getOperationAST, GraphQLError, parse, validate, type DocumentNode, type ExecutionResult } from 'graphql';
import type pg from 'pg';
import { maskCprsIn } from '../util/cpr.js';
import { MoContext } from './context.js';
import type { DarService } from './dar.js';
import { localMoSchema } from './schema.js';
import { StatisticsKeeper } from './store.js';

const DOCUMENT_CACHE_SIZE = 500;
/** Documents longer than this (inline bulk data) are not worth caching. */
const CACHEABLE_LENGTH = 50_000;

export interface GraphQLBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface Answer {
  /** HTTP status: 200 for everything GraphQL answers (errors included), 400 for a malformed request. */
  status: number;
  body: ExecutionResult | { errors: { message: string }[] };
}

export class GraphQLExecutor {
  private readonly mo = localMoSchema();
  private readonly statistics: StatisticsKeeper;
  private readonly documents = new Map<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly dar: DarService,
    private readonly log: (message: string) => void = () => {},
  ) {
    this.statistics = new StatisticsKeeper(pool, log);
  }

  async run(body: GraphQLBody): Promise<Answer> {
    if (typeof body.query !== 'string' || body.query.trim() === '') return badRequest('The request has no GraphQL "query".');
    if (body.variables != null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) return badRequest('"variables" must be an object.');
    if (body.operationName != null && typeof body.operationName !== 'string') return badRequest('"operationName" must be a string.');
    const prepared = this.prepare(body.query);
    if ('errors' in prepared) return { status: 200, body: { errors: prepared.errors.map((e) => e.toJSON()) } };
    const operationName = (body.operationName as string | null | undefined) ?? null;
    const operation = getOperationAST(prepared.document, operationName);
    if (!operation) return { status: 200, body: { errors: [{ message: operationName ? `Unknown operation "${operationName}".` : 'Several operations: give operationName.' }] } };
    if (operation.operation === 'subscription') return { status: 200, body: { errors: [{ message: 'Subscriptions are not supported by the local MO.' }] } };
    const variables = (body.variables as Record<string, unknown> | null | undefined) ?? undefined;
    const now = Date.now();
    const run = (ctx: MoContext) =>
      execute({
        schema: this.mo.schema,
        document: prepared.document,
        rootValue: this.mo.rootValue,
        contextValue: ctx,
        variableValues: variables,
        operationName,
      }) as Promise<ExecutionResult>;
    if (operation.operation === 'query') return this.answer(await run(new MoContext(this.pool, now, this.dar.forRequest(), false)));
    const client = await this.pool.connect();
    let result: ExecutionResult;
    let broken = false;
    try {
      await client.query('BEGIN');
      const ctx = new MoContext(client, now, this.dar.forRequest(), true);
      result = await run(ctx);
      if (!result.errors?.length) {
        // Creates still held back are written now; their failure fails the whole request like any other.
        try {
          await ctx.settle();
        } catch (error) {
          result = { data: null, errors: [error instanceof GraphQLError ? error : new GraphQLError((error as Error).message, { originalError: error as Error })] };
        }
      }
      if (result.errors?.length) await client.query('ROLLBACK');
      else {
        await client.query('COMMIT');
        this.statistics.noteChanges(ctx.rowsWritten);
      }
    } catch (error) {
      broken = true;
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release(broken);
    }
    return this.answer(result);
  }

  private answer(result: ExecutionResult): Answer {
    for (const error of result.errors ?? []) {
      // Business errors are the client's to handle; anything else is worth a line (CPRs masked).
      if (!error.extensions?.error_context && !error.extensions?.code && error.originalError) {
        this.log(`GraphQL resolver error at ${error.path?.join('.') ?? '?'}: ${maskCprsIn(error.message)}`);
      }
    }
    return { status: 200, body: result };
  }

  private prepare(query: string): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
    const cached = this.documents.get(query);
    if (cached) {
      // Refresh its place in the LRU order.
      this.documents.delete(query);
      this.documents.set(query, cached);
      return cached;
    }
    let prepared: { document: DocumentNode } | { errors: readonly GraphQLError[] };
    try {
      const document = parse(query);
      const errors = validate(this.mo.schema, document);
      prepared = errors.length ? { errors } : { document };
    } catch (error) {
      prepared = { errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    if (query.length <= CACHEABLE_LENGTH) {
      this.documents.set(query, prepared);
      if (this.documents.size > DOCUMENT_CACHE_SIZE) this.documents.delete(this.documents.keys().next().value!);
    }
    return prepared;
  }
}

function badRequest(message: string): Answer {
  return { status: 400, body: { errors: [{ message }] } };
}
