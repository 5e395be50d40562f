// Every document the client can send is valid against OS2MO's real schema and stays inside the subset
// (docs/mo-api-subset.md) the local MO implements. A rename in OS2MO, or a field outside the contract,
// fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Kind, parse, validate, visit, type OperationDefinitionNode } from 'graphql';
import { batchDocument } from '../../src/mo/documents/batch.js';
import { allDocuments, MUTATIONS, READ_DOCUMENTS } from '../../src/mo/documents/registry.js';
import { addressFilter } from '../../src/mo/kinds/addresses.js';
import { classFilter } from '../../src/mo/kinds/classes.js';
import { engagementFilter } from '../../src/mo/kinds/engagements.js';
import { facetFilter } from '../../src/mo/kinds/facets.js';
import { itSystemFilter } from '../../src/mo/kinds/itSystems.js';
import { itUserFilter } from '../../src/mo/kinds/itUsers.js';
import { managerFilter } from '../../src/mo/kinds/managers.js';
import { orgUnitFilter } from '../../src/mo/kinds/orgUnits.js';
import { personFilter } from '../../src/mo/kinds/persons.js';
import { roleBindingFilter } from '../../src/mo/kinds/roleBindings.js';
import { moSchema } from '../support/cannedMo.js';

const subset = readFileSync(new URL('../../docs/mo-api-subset.md', import.meta.url), 'utf8');

/** The rows of the markdown table under a heading, as cells. */
function tableRows(heading: string): string[][] {
  const section = subset.slice(subset.indexOf(`## ${heading}`));
  const lines = section.split('\n').slice(1);
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(line.split('|').slice(1, -1).map((c) => c.trim()));
  }
  return rows;
}

const ticks = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);

/** collection → { filter keys (nested as 'parent.uuids'), object fields }. */
const readContract = new Map(
  tableRows('Reads').map(([collection = '', filters = '', fields = '']) => {
    const filterKeys = new Set<string>();
    for (const f of ticks(filters)) {
      const nested = /^(\w+): \{ ([\w ]+) \}$/.exec(f);
      if (nested) for (const k of (nested[2] as string).split(' ')) filterKeys.add(`${nested[1]}.${k}`);
      else filterKeys.add(f);
    }
    if (/\bdates\b/.test(filters)) ['from_date', 'to_date'].forEach((k) => filterKeys.add(k));
    const fieldText = ticks(fields).join(' ').replace(/extension_1 … extension_10/, Array.from({ length: 10 }, (_, i) => `extension_${i + 1}`).join(' '));
    const objectFields = new Set(fieldText.match(/[a-z_0-9]+/g));
    return [ticks(collection)[0] as string, { filterKeys, objectFields }];
  }),
);

const contractMutations = new Set(tableRows('Mutations').flatMap((row) => row.slice(1).flatMap(ticks)));

describe('GraphQL documents', () => {
  const documents = allDocuments();

  it('every document the client can send validates against the OS2MO schema', () => {
    assert.ok(documents.length > 80, `only ${documents.length} documents`);
    for (const doc of documents) {
      const errors = validate(moSchema(), parse(doc.text));
      assert.deepEqual(errors.map((e) => e.message), [], `${doc.operationName}:\n${doc.text}`);
    }
  });

  it('names each operation as it declares it, and never interpolates a value', () => {
    for (const doc of documents) {
      const [op] = parse(doc.text).definitions as OperationDefinitionNode[];
      assert.equal(op?.name?.value, doc.operationName);
      assert.equal(op?.operation === 'mutation', doc.mutation, doc.operationName);
      visit(parse(doc.text), {
        [Kind.STRING]: () => assert.fail(`${doc.operationName} has a string literal`),
        [Kind.INT]: () => assert.fail(`${doc.operationName} has an int literal`),
        [Kind.LIST]: () => assert.fail(`${doc.operationName} has a list literal`),
        [Kind.OBJECT]: () => assert.fail(`${doc.operationName} has an object literal`),
      });
    }
  });

  it('covers every collection and mutation of the subset, and nothing else', () => {
    assert.deepEqual(new Set(READ_DOCUMENTS.map((d) => d.collection)), new Set(readContract.keys()));
    const sent = new Set(MUTATIONS.flatMap((m) => (m.bulkField ? [m.field, m.bulkField] : [m.field])));
    assert.deepEqual(sent, contractMutations);
  });

  it('reads only the object fields the subset lists, paging with $filter, $cursor, $limit: int', () => {
    const paging = new Set(['objects', 'page_info', 'next_cursor', 'uuid', 'validities', 'current', 'validity', 'from', 'to']);
    for (const doc of READ_DOCUMENTS) {
      const contract = readContract.get(doc.collection);
      assert.ok(contract, doc.collection);
      const ast = parse(doc.text);
      visit(ast, {
        Field(node) {
          if (node.name.value === doc.collection) return;
          assert.ok(paging.has(node.name.value) || contract.objectFields.has(node.name.value), `${doc.operationName} reads ${node.name.value}`);
        },
      });
      const variables = (ast.definitions[0] as OperationDefinitionNode).variableDefinitions?.map((v) => `${v.variable.name.value}:${v.type.kind === Kind.NAMED_TYPE ? v.type.name.value : '?'}`);
      assert.ok(variables?.includes('limit:int') && variables.includes('cursor:Cursor'), doc.operationName);
      assert.match(doc.text, doc.view === 'validities' ? /validities\(start: \$start, end: \$end\)/ : /current\(at: \$at\)/);
    }
  });

  it('filters use only the filter fields the subset lists', () => {
    const all = ['a'];
    const filters: [string, object][] = [
      ['facets', facetFilter({ uuids: all, userKeys: all })],
      ['classes', classFilter({ uuids: all, userKeys: all, facetUserKeys: all })],
      ['itsystems', itSystemFilter({ uuids: all, userKeys: all })],
      ['org_units', orgUnitFilter({ uuids: all, userKeys: all, parentUuids: all, ancestorUuids: all })],
      ['persons', personFilter({ uuids: all, cprNumbers: all })],
      ['engagements', engagementFilter({ uuids: all, userKeys: all, personUuids: all, orgUnitUuids: all })],
      ['addresses', addressFilter({ uuids: all, personUuids: all, orgUnitUuids: all, addressTypeUuids: all, addressTypeUserKeys: all })],
      ['managers', managerFilter({ uuids: all, userKeys: all, personUuids: all, orgUnitUuids: all })],
      ['itusers', itUserFilter({ uuids: all, userKeys: all, personUuids: all, itSystemUuids: all, itSystemUserKeys: all })],
      ['rolebindings', roleBindingFilter({ uuids: all, userKeys: all, itUserUuids: all, orgUnitUuids: all })],
    ];
    for (const [collection, filter] of filters) {
      const keys = Object.entries(filter).flatMap(([k, v]) => (Array.isArray(v) ? [k] : Object.keys(v as object).map((n) => `${k}.${n}`)));
      for (const key of keys) assert.ok(readContract.get(collection)?.filterKeys.has(key), `${collection} filter ${key}`);
    }
  });

  it('builds the same text for the same batch shape, and distinct text for distinct shapes', () => {
    const [create, update] = MUTATIONS.filter((m) => m.kind === 'engagement');
    assert.ok(create && update);
    const a = batchDocument([{ spec: create, bulk: false }, { spec: update, bulk: false }]);
    const b = batchDocument([{ spec: create, bulk: false }, { spec: update, bulk: false }]);
    assert.equal(a.text, b.text);
    assert.notEqual(a.text, batchDocument([{ spec: update, bulk: false }, { spec: create, bulk: false }]).text);
    assert.notEqual(a.text, batchDocument([{ spec: create, bulk: true }, { spec: update, bulk: false }]).text);
    assert.match(a.text, /^mutation MoBatch\(\$i0: EngagementCreateInput!, \$i1: EngagementUpdateInput!\) \{\n  m0: engagement_create\(input: \$i0\) \{ uuid \}\n  m1: engagement_update\(input: \$i1\) \{ uuid \}\n\}\n$/);
  });
});
