// OS2MO's real schema (src/mo/schema/os2mo.graphql), built once, with MO's custom scalars and a field
// resolver that answers the subset and refuses everything else by name.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSchema, GraphQLError, GraphQLObjectType, GraphQLScalarType, Kind, type GraphQLResolveInfo, type GraphQLSchema, type ValueNode } from 'graphql';
import type { MoContext } from './context.js';
import { notSupported } from './errors.js';
import { MUTATIONS } from './mutations.js';
import { COLLECTIONS, readCollection } from './reads.js';
import { MoResponse, SUPPORTED_FIELDS, View } from './responses.js';
import { ROOT_ORGANISATION_UUID } from './bootstrap.js';
import { formatDateTime, parseDateTime, type Instant } from './time.js';

export const SCHEMA_PATH = fileURLToPath(new URL('../mo/schema/os2mo.graphql', import.meta.url));

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function stringScalar(name: string, parse: (text: string) => unknown, serialize: (value: unknown) => unknown = (v) => v) {
  return {
    serialize,
    parseValue(value: unknown) {
      if (typeof value !== 'string') throw new GraphQLError(`${name} must be a string, got ${JSON.stringify(value)}`);
      return parse(value);
    },
    parseLiteral(ast: ValueNode) {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(`${name} must be a string`);
      return parse(ast.value);
    },
  };
}

const uuid = stringScalar('UUID', (text) => {
  if (!UUID_RE.test(text)) throw new GraphQLError(`Invalid UUID: ${JSON.stringify(text)}`);
  return text.toLowerCase();
});

const dateTime = stringScalar(
  'DateTime',
  (text) => {
    try {
      return parseDateTime(text);
    } catch {
      throw new GraphQLError(`Invalid DateTime ${JSON.stringify(text)}: use 'YYYY-MM-DD' or ISO 8601 with an offset`);
    }
  },
  (value) => (typeof value === 'number' ? formatDateTime(value as Instant) : value),
);

const date = stringScalar('Date', (text) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) throw new GraphQLError(`Invalid Date ${JSON.stringify(text)}: use 'YYYY-MM-DD'`);
  return text;
});

const cpr = stringScalar('CPR', (text) => {
  if (!/^\d{10}$/.test(text)) throw new GraphQLError('Invalid CPR number: 10 digits expected');
  return text;
});

const cursor = stringScalar('Cursor', (text) => text);

/** MO's PositiveInt override, named `int` in the schema (every `limit`). */
const positiveInt = {
  serialize: (v: unknown) => v,
  parseValue(value: unknown) {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new GraphQLError(`int must be a positive integer, got ${JSON.stringify(value)}`);
    return value;
  },
  parseLiteral(ast: ValueNode) {
    if (ast.kind !== Kind.INT || Number(ast.value) < 1) throw new GraphQLError('int must be a positive integer');
    return Number(ast.value);
  },
};

const SCALARS: Record<string, Pick<GraphQLScalarType, 'serialize' | 'parseValue' | 'parseLiteral'>> = {
  UUID: uuid,
  DateTime: dateTime,
  Date: date,
  CPR: cpr,
  Cursor: cursor,
  int: positiveInt,
};

/** A method of a resolved object answering one field (graphql-js's default-resolver convention). */
type FieldMethod = (args: unknown, ctx: MoContext, info: GraphQLResolveInfo) => unknown;

export interface LocalMoSchema {
  schema: GraphQLSchema;
  /** The SDL as MO serves it at /graphql/v30/schema.graphql. */
  sdl: string;
  rootValue: Record<string, unknown>;
}

let built: LocalMoSchema | null = null;

export function localMoSchema(): LocalMoSchema {
  if (built) return built;
  const source = readFileSync(SCHEMA_PATH, 'utf8');
  const schema = buildSchema(source);
  for (const [name, impl] of Object.entries(SCALARS)) {
    const type = schema.getType(name);
    if (!(type instanceof GraphQLScalarType)) throw new Error(`the OS2MO schema has no scalar ${name}`);
    Object.assign(type, impl);
  }
  attachResolvers(schema, supportedFields(schema));
  const sdl = source.replace('OS2mo GraphQL API schema definition (v29)', 'OS2mo GraphQL API schema definition (v30)').replace('/graphql/v29/', '/graphql/v30/');
  built = { schema, sdl, rootValue: rootValue() };
  return built;
}

function rootValue(): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [field, kind] of Object.entries(COLLECTIONS)) root[field] = (args: object, ctx: MoContext) => readCollection(kind, args, ctx);
  for (const [field, resolver] of Object.entries(MUTATIONS)) root[field] = resolver;
  root.org = async (_args: object, ctx: MoContext) => new MoResponse('organisation', ROOT_ORGANISATION_UUID).current({}, ctx);
  return root;
}

/**
 * Every field of every object type gets a resolver: a supported one reads the source object (calling it when
 * it is a method, falling back to a View's stored attributes); any other refuses by name. Set on the schema
 * itself, so any executor uses them without a custom field resolver.
 */
function attachResolvers(schema: GraphQLSchema, supported: Map<string, Set<string>>): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const name = field.name;
      if (!supported.get(type.name)?.has(name)) {
        const refusal = `The field ${type.name}.${name}`;
        field.resolve = () => {
          throw notSupported(refusal);
        };
        continue;
      }
      field.resolve = (source, args, ctx, info) => {
        let value = (source as Record<string, unknown>)[name];
        if (value === undefined && source instanceof View) value = source.data[name];
        return typeof value === 'function' ? (value as FieldMethod).call(source, args, ctx as MoContext, info) : value;
      };
    }
  }
}

/** Type → field names answered; each must exist in the real schema (a typo fails at start, not at a client). */
function supportedFields(schema: GraphQLSchema): Map<string, Set<string>> {
  const entries: [string, readonly string[]][] = [
    ...Object.entries(SUPPORTED_FIELDS),
    ['Query', [...Object.keys(COLLECTIONS), 'org']],
    ['Mutation', Object.keys(MUTATIONS)],
  ];
  const out = new Map<string, Set<string>>();
  for (const [typeName, fields] of entries) {
    const type = schema.getType(typeName);
    if (!type || !('getFields' in type)) throw new Error(`the OS2MO schema has no object type ${typeName}`);
    const known = type.getFields();
    for (const field of fields) if (!(field in known)) throw new Error(`the OS2MO schema has no field ${typeName}.${field}`);
    out.set(typeName, new Set(fields));
  }
  return out;
}
