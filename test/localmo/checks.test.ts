// The checks OS2MO makes on writes, with MO's error keys and statuses in extensions.error_context.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scopeProblem } from '../../src/sync/mapping/addressValues.js';
import { postgresSkip } from '../support/postgres.js';
import { errorKey, useLocalMo } from '../support/localmo.js';

const skip = await postgresSkip();
const ANY_CLASS = '11111111-1111-4111-8111-111111111111';

describe('local MO checks', { skip }, () => {
  const env = useLocalMo();
  let unit: string;
  let person: string;
  const types: Record<string, string> = {};

  it('sets up a unit (from 2020), a person and address types of every scope', async () => {
    const data = await env.ok(`mutation {
      u: org_unit_create(input: {name: "Tjek", org_unit_type: "${ANY_CLASS}", validity: {from: "2020-01-01", to: "2030-01-01"}}) { uuid }
      p: employee_create(input: {given_name: "Tina", surname: "Tjek", cpr_number: "0303751234"}) { uuid }
    }`);
    unit = data.u.uuid;
    person = data.p.uuid;
    const facet = await env.ok(`{ facets(filter: {user_keys: ["org_unit_address_type"]}) { objects { uuid } } }`);
    const facetUuid = facet.facets.objects[0].uuid;
    for (const scope of ['EAN', 'PNUMBER', 'WWW', 'TEXT']) {
      const created = await env.ok(`mutation($f: UUID!, $s: String!) { class_create(input: {facet_uuid: $f, user_key: $s, name: $s, scope: $s, validity: {from: null}}) { uuid } }`, {
        f: facetUuid,
        s: scope,
      });
      types[scope] = created.class_create.uuid;
    }
    const existing = await env.ok(`{ classes(filter: {facet: {user_keys: ["employee_address_type"]}}) { objects { uuid current { scope } } } }`);
    for (const c of existing.classes.objects) types[c.current.scope] = c.uuid;
    assert.ok(types.EMAIL && types.PHONE && types.DAR && types.EAN && types.PNUMBER);
  });

  it('refuses a second person with the same CPR on create (V_EXISTING_CPR, 409), without the CPR in the message; an update is not checked, as in OS2MO', async () => {
    const answer = await env.gql(`mutation { employee_create(input: {given_name: "Dobbelt", surname: "Gænger", cpr_number: "0303751234"}) { uuid } }`);
    assert.equal(errorKey(answer), 'V_EXISTING_CPR');
    assert.equal(answer.errors[0]!.extensions!.error_context!.status, 409);
    assert.doesNotMatch(JSON.stringify(answer.errors), /0303751234/);
    const update = await env.gql(`mutation { e: employee_create(input: {given_name: "Anden", surname: "Person", cpr_number: "0404751234"}) { uuid } }`);
    const other = update.data!.e.uuid;
    const changed = await env.gql(`mutation($u: UUID!) { employee_update(input: {uuid: $u, cpr_number: "0303751234", validity: {from: "2024-01-01"}}) { uuid } }`, { u: other });
    assert.deepEqual(changed.errors, [], 'OS2MO 66.1.2 checks CPR numbers only in employee_create');
  });

  const cases: [scope: string, bad: string, good: string][] = [
    ['EMAIL', 'not-an-email', 'tina@andeby.dk'],
    ['PHONE', '12 34 56 78', '+4512345678'],
    ['EAN', '123456789012', '5798000000001'],
    ['PNUMBER', '12345', '1003388877'],
    ['DAR', 'Hovedgaden 1', '0a3f50a0-23a5-32b8-e044-0003ba298018'],
    ['WWW', 'not a url', 'https://www.andeby.dk'],
  ];
  for (const [scope, bad, good] of cases) {
    it(`checks ${scope} address values (V_INVALID_ADDRESS_${scope})`, async () => {
      const owner = scope === 'EMAIL' || scope === 'PHONE' || scope === 'DAR' ? { person } : { org_unit: unit };
      const create = (value: string) =>
        env.gql(`mutation($input: AddressCreateInput!) { address_create(input: $input) { uuid } }`, {
          input: { ...owner, address_type: types[scope], value, validity: { from: '2024-01-01', to: '2030-01-01' } },
        });
      const refused = await create(bad);
      assert.equal(errorKey(refused), `V_INVALID_ADDRESS_${scope}`);
      assert.equal(refused.errors[0]!.extensions!.error_context!.status, 400);
      const accepted = await create(good);
      assert.deepEqual(accepted.errors, []);
    });
  }

  it('refuses exactly what the import holds back, so the import never sends a value MO refuses', async () => {
    const values: [scope: string, value: string][] = [
      ['EMAIL', 'tina@andeby.dk.'],
      ['EMAIL', 'tina@andeby'],
      ['EMAIL', 'tina.tjek@skole.andeby.dk'],
      ['PHONE', '004512345678'],
      ['PHONE', '+45 1234'],
      ['WWW', 'http://intranet'],
      ['WWW', 'www.andeby.dk'],
      ['WWW', 'ftp://andeby.dk'],
      ['EAN', '579800000000a'],
      ['PNUMBER', '1003388877'],
    ];
    for (const [scope, value] of values) {
      const owner = scope === 'EMAIL' || scope === 'PHONE' ? { person } : { org_unit: unit };
      const answer = await env.gql(`mutation($input: AddressCreateInput!) { address_create(input: $input) { uuid } }`, {
        input: { ...owner, address_type: types[scope], value, validity: { from: '2024-01-01', to: '2030-01-01' } },
      });
      const refusedByMo = answer.errors.length > 0;
      assert.equal(refusedByMo, scopeProblem(scope, value) !== null, `${scope} ${JSON.stringify(value)}: MO ${refusedByMo ? 'refuses' : 'accepts'} it`);
      if (refusedByMo) assert.equal(errorKey(answer), `V_INVALID_ADDRESS_${scope}`);
    }
    assert.equal(scopeProblem('WWW', 'www.andeby.dk'), 'is not a valid web address (http:// or https://)');
    assert.equal(scopeProblem('EMAIL', 'tina@andeby.dk.'), 'is not a valid e-mail address');
    assert.equal(scopeProblem('WWW', 'http://intranet'), null);
  });

  it('accepts any TEXT and refuses an unknown address type', async () => {
    const text = await env.gql(`mutation { address_create(input: {org_unit: "${unit}", address_type: "${types.TEXT}", value: "SE 12345678", validity: {from: "2024-01-01", to: "2030-01-01"}}) { uuid } }`);
    assert.deepEqual(text.errors, []);
    const unknown = await env.gql(`mutation { address_create(input: {org_unit: "${unit}", address_type: "${ANY_CLASS}", value: "x", validity: {from: "2024-01-01"}}) { uuid } }`);
    assert.equal(errorKey(unknown), 'E_CLASS_NOT_FOUND');
  });

  it('refuses functions created outside their unit’s validity (V_DATE_OUTSIDE_ORG_UNIT_RANGE), except managers, as OS2MO', async () => {
    const engagement = (validity: Record<string, string | null>) =>
      env.gql(`mutation($input: EngagementCreateInput!) { engagement_create(input: $input) { uuid } }`, {
        input: { person, org_unit: unit, job_function: ANY_CLASS, engagement_type: ANY_CLASS, validity },
      });
    assert.equal(errorKey(await engagement({ from: '2019-01-01' })), 'V_DATE_OUTSIDE_ORG_UNIT_RANGE', 'starts before the unit');
    assert.equal(errorKey(await engagement({ from: '2025-01-01' })), 'V_DATE_OUTSIDE_ORG_UNIT_RANGE', 'open past the unit’s end');
    const inside = await engagement({ from: '2025-01-01', to: '2026-01-01' });
    assert.deepEqual(inside.errors, []);
    const manager = await env.gql(`mutation { manager_create(input: {org_unit: "${unit}", person: "${person}", manager_type: "${ANY_CLASS}", manager_level: "${ANY_CLASS}", responsibility: [], validity: {from: "2031-01-01"}}) { uuid } }`);
    assert.deepEqual(manager.errors, [], 'OS2MO checks a manager only on update');
    const address = await env.gql(`mutation { address_create(input: {org_unit: "${unit}", address_type: "${types.TEXT}", value: "x", validity: {from: "2010-01-01", to: "2021-01-01"}}) { uuid } }`);
    assert.equal(errorKey(address), 'V_DATE_OUTSIDE_ORG_UNIT_RANGE');
    const itsystem = await env.ok(`mutation { itsystem_create(input: {user_key: "AD", name: "Active Directory", validity: {}}) { uuid } }`);
    const ituser = await env.ok(`mutation { ituser_create(input: {itsystem: "${itsystem.itsystem_create.uuid}", user_key: "tina", person: "${person}", validity: {from: "2024-01-01"}}) { uuid } }`);
    const binding = await env.gql(`mutation { rolebinding_create(input: {ituser: "${ituser.ituser_create.uuid}", role: "${ANY_CLASS}", org_unit: "${unit}", validity: {from: "2024-01-01"}}) { uuid } }`);
    assert.equal(errorKey(binding), 'V_DATE_OUTSIDE_ORG_UNIT_RANGE');
    assert.deepEqual(binding.errors[0]!.extensions!.error_context, {
      error: true,
      error_key: 'V_DATE_OUTSIDE_ORG_UNIT_RANGE',
      description: 'Date range exceeds validity range of associated org unit.',
      status: 400,
      org_unit_uuid: unit,
      valid_from: '2020-01-01',
      valid_to: '2030-01-01',
    });
    assert.equal(binding.errors[0]!.message, 'ErrorCodes.V_DATE_OUTSIDE_ORG_UNIT_RANGE');
    // OS2MO does not check an engagement update against the unit: it may reach past the unit's end.
    const uuid = inside.data!.engagement_create.uuid;
    const moved = await env.gql(`mutation { engagement_update(input: {uuid: "${uuid}", fraction: 1, validity: {from: "2025-06-01", to: null}}) { uuid } }`);
    assert.deepEqual(moved.errors, []);
  });

  it('refuses an engagement for an unknown person or unit', async () => {
    const unknown = '22222222-2222-4222-8222-222222222222';
    const noPerson = await env.gql(`mutation { engagement_create(input: {person: "${unknown}", org_unit: "${unit}", job_function: "${ANY_CLASS}", engagement_type: "${ANY_CLASS}", validity: {from: "2024-01-01", to: "2025-01-01"}}) { uuid } }`);
    assert.equal(errorKey(noPerson), 'E_USER_NOT_FOUND');
    const noUnit = await env.gql(`mutation { engagement_create(input: {person: "${person}", org_unit: "${unknown}", job_function: "${ANY_CLASS}", engagement_type: "${ANY_CLASS}", validity: {from: "2024-01-01"}}) { uuid } }`);
    assert.equal(errorKey(noUnit), 'E_ORG_UNIT_NOT_FOUND');
  });
});
