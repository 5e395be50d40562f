// DIPEX's first_included, rule by rule. The same cases run against a real slapd in reader.test.ts; here
// the table also covers what is awkward to seed, and pins the "exclude" quirk down.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holdsExcludedValue, pickAccount, type Discriminator } from '../../src/ad/discriminator.js';

const account = (name: string, discriminatorValue: string | null = null) => ({ name, discriminatorValue });
const pick = (accounts: ReturnType<typeof account>[], d?: Discriminator) => pickAccount(accounts, d)?.name ?? null;
const include = (...values: string[]): Discriminator => ({ field: 'x', function: 'include', values });
const exclude = (...values: string[]): Discriminator => ({ field: 'x', function: 'exclude', values });

describe('pickAccount (DIPEX first_included)', () => {
  const noField = account('a', null);
  const ekstern = account('b', 'Ekstern');
  const primaer = account('c', 'Primær');
  const vikar = account('d', 'Vikar');

  it('without a discriminator takes the first account, whatever it holds', () => {
    assert.equal(pick([ekstern, primaer]), 'b');
    assert.equal(pick([]), null);
  });

  it('include: the values are tried in order, each against every account', () => {
    assert.equal(pick([noField, ekstern, primaer], include('Primær', 'Ekstern')), 'c');
    assert.equal(pick([noField, ekstern, primaer], include('Ekstern', 'Primær')), 'b');
    assert.equal(pick([noField, vikar], include('Primær', 'Ekstern')), null);
  });

  it('include: equality is exact, and accounts without the field never match', () => {
    assert.equal(pick([account('e', 'ekstern'), account('f', 'Ekstern ')], include('Ekstern')), null);
    assert.equal(pick([noField], include('')), null);
  });

  it('exclude with one value: the first account not holding it, absent field included', () => {
    assert.equal(pick([ekstern, noField, primaer], exclude('Ekstern')), 'a');
    assert.equal(pick([ekstern, account('e', 'Ekstern')], exclude('Ekstern')), null);
  });

  it('exclude with several values keeps DIPEX quirk: each value is tested on its own', () => {
    // values[0] differs from Vikar, so the Vikar account is taken although Vikar is excluded too.
    assert.equal(pick([vikar, ekstern], exclude('Ekstern', 'Vikar')), 'd');
    // Every account holds values[0]; against values[1] the first one differs, and is taken.
    assert.equal(pick([ekstern, account('e', 'Ekstern')], exclude('Ekstern', 'Vikar')), 'b');
    assert.ok(holdsExcludedValue(vikar, exclude('Ekstern', 'Vikar')));
    assert.ok(!holdsExcludedValue(noField, exclude('Ekstern', 'Vikar')));
    assert.ok(!holdsExcludedValue(vikar, include('Vikar')));
  });

  it('an empty value list picks nothing, for include and for exclude', () => {
    assert.equal(pick([ekstern, noField], include()), null);
    assert.equal(pick([ekstern, noField], exclude()), null);
  });
});
