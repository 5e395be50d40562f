// Where an object lies after a plan's writes, and what of it lies outside its unit: the arithmetic the
// containment pass (src/sync/plan/containment.ts) relies on.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MoOperation } from '../../src/mo/index.js';
import { afterWrites, outside, type Span } from '../../src/sync/plan/spans.js';

const span = (from: string, to: string | null, unit: string | null = 'U'): Span => ({ from, to, unit });
const engagement = (action: 'update' | 'terminate' | 'create', input: Record<string, unknown>): MoOperation =>
  ({ kind: 'engagement', action, input: { uuid: 'e', ...input } }) as unknown as MoOperation;

describe('spans: an object after writes, and its parts outside its unit', () => {
  it('a terminate with from and to cuts a range; with to alone it ends the object', () => {
    const spans = [span('2010-01-01', null)];
    assert.deepEqual(afterWrites(spans, [engagement('terminate', { from: '2010-01-01', to: '2015-01-01' })]), [span('2015-01-01', null)]);
    assert.deepEqual(afterWrites(spans, [engagement('terminate', { to: '2020-01-01' })]), [span('2010-01-01', '2020-01-01')]);
  });

  it('an update moves the range it writes to the unit it names, re-opening gaps; a create replaces; a delete empties', () => {
    const spans = [span('2010-01-01', '2012-01-01'), span('2013-01-01', null)];
    assert.deepEqual(afterWrites(spans, [engagement('update', { from: '2011-01-01', to: null, orgUnitUuid: 'V' })]), [
      span('2010-01-01', '2011-01-01'),
      span('2011-01-01', '2012-01-01', 'V'),
      span('2012-01-01', '2013-01-01', 'V'),
      span('2013-01-01', null, 'V'),
    ]);
    const address = { kind: 'address', action: 'update', input: { uuid: 'a', value: 'x', from: '2012-01-01', to: '2013-01-01' } } as unknown as MoOperation;
    assert.deepEqual(afterWrites(spans, [address]), [span('2010-01-01', '2012-01-01'), span('2012-01-01', '2013-01-01'), span('2013-01-01', null)], 'a write naming no unit keeps it');
    assert.deepEqual(afterWrites(spans, [engagement('create', { from: '2020-01-01', orgUnitUuid: 'W' })]), [span('2020-01-01', null, 'W')]);
    assert.deepEqual(afterWrites(spans, [{ kind: 'engagement', action: 'delete', input: { uuid: 'e' } } as MoOperation]), []);
  });

  it('outside: the parts in the unit that its own spans do not cover, touching parts joined, other units ignored', () => {
    const spans = [span('2005-01-01', '2008-01-01'), span('2008-01-01', '2020-01-01'), span('2020-01-01', null, 'V')];
    assert.deepEqual(outside(spans, 'U', [span('2010-01-01', '2015-01-01', 'P')]), [
      { from: '2005-01-01', to: '2010-01-01' },
      { from: '2015-01-01', to: '2020-01-01' },
    ]);
    assert.deepEqual(outside([span('2005-01-01', null)], 'U', [span('2001-01-01', '2024-03-02', 'P')]), [{ from: '2024-03-02', to: null }]);
    assert.deepEqual(outside([span('2005-01-01', null)], 'U', [span('2001-01-01', null, 'P')]), []);
  });
});
