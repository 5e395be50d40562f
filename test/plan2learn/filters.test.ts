// The configurable filters on the golden snapshot: root unit, allowed engagement types, too-deep levels, and
// the day the export describes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportPlan2Learn, type Plan2LearnExport } from '../../src/plan2learn/export.js';
import {
  E_ANNA_1,
  E_ANNA_2,
  E_BO,
  E_KIRSTEN,
  ET_MAANED,
  ET_TIME,
  goldenOptions,
  goldenSnapshot,
  JF_LAERER,
  JF_PAEDAGOG,
  P_ANNA,
  P_BO,
  P_CARL,
  P_KIRSTEN,
  record,
  U_BH,
  U_HOLD,
  U_KLASSE,
  U_ROOT,
  U_SKOLE,
} from './fixture.js';

const csv = (exp: Plan2LearnExport, name: string) => exp.files.find((f) => f.name === name)!.content.toString('utf8');
/** First column of every data row. */
const ids = (exp: Plan2LearnExport, name: string) =>
  csv(exp, name)
    .split('\r\n')
    .slice(1, -1)
    .map((line) => line.split(';')[0]!.replaceAll('"', ''));

describe('plan2learn filters', () => {
  it('exports only the subtree of the configured root; a sub-unit root keeps its real parent (§2)', () => {
    const exp = exportPlan2Learn(goldenSnapshot(), goldenOptions('Viborg', { rootUnitUuid: U_SKOLE }));
    assert.equal(
      csv(exp, 'organisation.csv'),
      record('AfdelingsID', 'Afdelingsnavn', 'Parentid', 'Gade', 'Postnr', 'By') +
        record(U_SKOLE, 'Skolen', U_ROOT, 'Augustenborggade 5, 5. 3', '8000', 'Aarhus C') + // Parentid: the root's real parent
        record(U_HOLD, 'Hold "A"; morgen', U_KLASSE, 'Vifdam 20, 1. th', '6000', 'Kolding'),
    );
    // Hans (root) and Dorte (Børnehuset) are outside; Anna is found in Skolen.
    assert.deepEqual(ids(exp, 'bruger.csv'), [P_ANNA, P_KIRSTEN, P_CARL, P_BO]);
    // Anna's Børnehuset engagement is not in an exported unit.
    assert.deepEqual(ids(exp, 'engagement.csv'), [E_ANNA_1, E_BO]);
    assert.deepEqual(ids(exp, 'leder.csv'), [P_BO]);
  });

  it('exports only the allowed engagement types, in bruger.csv and engagement.csv', () => {
    const exp = exportPlan2Learn(goldenSnapshot(), goldenOptions('Viborg', { allowedEngagementTypes: [ET_TIME] }));
    // Timeløn: Anna (her second engagement, found in Børnehuset) and Bo.
    assert.deepEqual(ids(exp, 'bruger.csv'), [P_BO, P_ANNA]);
    assert.deepEqual(ids(exp, 'engagement.csv'), [E_ANNA_2, E_BO]);
    // Only job functions of exported engagements are listed.
    assert.deepEqual(ids(exp, 'stillingskode.csv'), [JF_PAEDAGOG]);
    // Anna's Stilling comes only from an exported primary engagement: the Timeløn one is not primary.
    assert.match(csv(exp, 'bruger.csv'), new RegExp(`"${P_ANNA}";"0101801234";"Anna Andersen";"anna@privat.dk";"\\+4512345678";""\\r\\n`));
  });

  it('without too-deep levels every unit of the tree is exported, with its engagements and managers', () => {
    const exp = exportPlan2Learn(goldenSnapshot(), goldenOptions('RSD', { tooDeepLevels: [] }));
    assert.deepEqual(ids(exp, 'organisation.csv'), [U_ROOT, U_SKOLE, U_KLASSE, U_HOLD, U_BH]);
    assert.ok(csv(exp, 'engagement.csv').includes(`"${P_CARL}";"${U_KLASSE}";"1";"";"1";"Månedsløn"`), "Carl's engagement in Klasse 1A");
    assert.ok(csv(exp, 'leder.csv').includes(`"${P_CARL}";"${U_KLASSE}";"1";"Budgetansvar"`), "Klasse 1A's manager");
  });

  it('"today" decides current and future: on 2024-08-01 Kirsten\'s Månedsløn is current', () => {
    const exp = exportPlan2Learn(goldenSnapshot(), goldenOptions('Viborg', { today: '2024-08-01', allowedEngagementTypes: [ET_MAANED] }));
    const engagement = csv(exp, 'engagement.csv');
    assert.ok(engagement.includes(`"${E_KIRSTEN}";"${P_KIRSTEN}";"${U_SKOLE}";"1";"${JF_PAEDAGOG}";"1";"Månedsløn";""\r\n`));
    // Hans's engagement ended on 2024-05-15 (to 2024-05-16): gone.
    assert.ok(!engagement.includes('eeeeeeee-0000-4000-8000-000000000009'));
    assert.ok(csv(exp, 'stillingskode.csv').includes(JF_LAERER));
  });

  it('a variant or day that is not one DIPEX knows is refused', () => {
    assert.throws(() => exportPlan2Learn(goldenSnapshot(), goldenOptions('Aarhus' as 'RSD')), /variant must be "RSD" or "Viborg"/);
    assert.throws(() => exportPlan2Learn(goldenSnapshot(), goldenOptions('RSD', { today: '15-05-2024' })), /today must be a date YYYY-MM-DD/);
    assert.throws(() => exportPlan2Learn(goldenSnapshot(), goldenOptions('RSD', { allowedEngagementTypes: [] })), /no users and no engagements/);
  });
});
