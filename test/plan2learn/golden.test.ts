// Golden files: the hand-built snapshot of fixture.ts → the exact bytes of all five files, per variant. Each
// expected row says which rule (plan2learn-spec.md section, or a deliberate fix) puts it there.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportPlan2Learn, type Plan2LearnExport } from '../../src/plan2learn/export.js';
import {
  E_ANNA_1,
  E_ANNA_2,
  E_BO,
  E_DORTE,
  E_HANS,
  goldenOptions,
  goldenSnapshot,
  JF_LAERER,
  JF_PAEDAGOG,
  JF_RETIRED,
  M_ROOT_1,
  M_ROOT_2,
  M_BH,
  M_HOLD,
  P_ANNA,
  P_BO,
  P_CARL,
  P_DORTE,
  P_EVA,
  P_HANS,
  P_JENS,
  P_KIRSTEN,
  record,
  U_BH,
  U_HOLD,
  U_KLASSE,
  U_ROOT,
  U_SKOLE,
} from './fixture.js';

const text = (exp: Plan2LearnExport, name: string): string => {
  const file = exp.files.find((f) => f.name === name);
  assert.ok(file, `${name} is missing`);
  return file.content.toString('utf8');
};

// bruger.csv population and order (§1.1): tree pre-order Andeby Kommune → Skolen → Klasse 1A → Hold → Børnehuset;
// within a unit, engagement order; a person once, at the first unit. Hans (root), Anna and Kirsten (Skolen;
// Kirsten for her August Månedsløn slice), Carl (the too-deep Klasse 1A still counts for bruger, §7.7), Bo (Hold),
// Dorte (Børnehuset, future engagement). Jens is not a valid person today (§7.8); Eva's type is not allowed;
// Finn works outside the root's subtree; Grete's engagement ended yesterday; Ida's unit starts in June.
// E-mail/Mobil (§1.1): Anna's work e-mail is secret → her private one; her SECRET mobile is exported (phone has
// no visibility filter) and beats the newer work phone by priority; the mobile that ended 2024-05-01 is out.
// Bo's July work phone is newest; the other phone type is never used; the lower uuid of two e-mails wins.
// Carl's and Dorte's rows both exist: no CPR is not one person (fix of §7.6).
const brugerViborg =
  record('BrugerId', 'CPR', 'Navn', 'E-mail', 'Mobil', 'Stilling') +
  record(P_HANS, '0606806789', 'Hans Hansen', '', '', '') + // primary job function not a class today → "" (fix of §7.16)
  record(P_ANNA, '0101801234', 'Anna Andersen', 'anna@privat.dk', '+4512345678', 'Lærer (Viborg)') + // extension_3
  record(P_KIRSTEN, '0909809012', 'Kirsten Krog', '', '', '') + // no exported engagement → ""
  record(P_CARL, '', 'Carl Christensen', 'carl@privat.dk', '', '') + // CPR None → ""
  record(P_BO, '0202802345', 'Bo Bæk', 'b.baek@andeby.dk', '22222222', 'Pædagog') + // job function name, no extension_3
  record(P_DORTE, '', 'Dorte Dam', '', '', ''); // primary without job function → "" (DIPEX: KeyError)

// RSD Stilling (§1.1): extension_1 of today's engagement with the smallest user_key[3:], any type, any unit.
const brugerRsd =
  record('BrugerId', 'CPR', 'Navn', 'E-mail', 'Mobil', 'Stilling') +
  record(P_HANS, '0606806789', 'Hans Hansen', '', '', '') + // extension_1 unset
  record(P_ANNA, '0101801234', 'Anna Andersen', 'anna@privat.dk', '+4512345678', 'Lærer') + // "0042" < "0100"
  record(P_KIRSTEN, '0909809012', 'Kirsten Krog', '', '', 'Praktikant') + // today's (not allowed) type counts
  record(P_CARL, '', 'Carl Christensen', 'carl@privat.dk', '', 'Vikar') + // engagement in a too-deep unit counts
  record(P_BO, '0202802345', 'Bo Bæk', 'b.baek@andeby.dk', '22222222', 'Pædagog (RSD)') +
  record(P_DORTE, '', 'Dorte Dam', '', '', ''); // only a future engagement → ""

// organisation.csv (§1.2): pre-order; Klasse 1A is NY1-niveau (too deep) but its child Hold is exported with
// Parentid pointing at it (§7.13); Børnehuset has no level ("" is not too deep). The root is top level → Parentid "".
// Addresses: the last DAR address valid today; street with floor/door, no supplementary town name; an
// unresolved DAR text gives empty fields (fix of §7.12).
const organisation =
  record('AfdelingsID', 'Afdelingsnavn', 'Parentid', 'Gade', 'Postnr', 'By') +
  record(U_ROOT, 'Andeby Kommune', '', 'Paradisæblevej 1', '8880', 'Andeby') +
  record(U_SKOLE, 'Skolen', U_ROOT, 'Augustenborggade 5, 5. 3', '8000', 'Aarhus C') +
  record(U_HOLD, 'Hold "A"; morgen', U_KLASSE, 'Vifdam 20, 1. th', '6000', 'Kolding') +
  record(U_BH, 'Børnehuset', U_ROOT, '', '', '');

// engagement.csv (§1.3): persons in snapshot order, their engagements judged on the slice valid today or the
// first future one: exported unit, allowed type. AktivStatus always 1 (§7.4). Carl's unit is too deep; Kirsten
// is unpaid today. Viborg start date: "" when started, else the future start.
const engagementHeader = record('EngagementId', 'BrugerId', 'AfdelingsId', 'AktivStatus', 'StillingskodeId', 'Primær', 'Engagementstype', 'StartdatoEngagement');
const engagementViborg =
  engagementHeader +
  record(E_ANNA_1, P_ANNA, U_SKOLE, '1', JF_LAERER, '1', 'Månedsløn', '') + // today's slice is in Skolen
  record(E_ANNA_2, P_ANNA, U_BH, '1', JF_PAEDAGOG, '0', 'Timeløn', '') +
  record(E_BO, P_BO, U_HOLD, '1', JF_PAEDAGOG, '1', 'Timeløn', '') +
  record(E_DORTE, P_DORTE, U_BH, '1', '', '1', 'Månedsløn', '2024-06-01') + // future; no job function → ""
  record(E_HANS, P_HANS, U_ROOT, '1', JF_RETIRED, '1', 'Månedsløn', ''); // ends today: still exported

// RSD: Primær is is_primary (fix of §7.1: DIPEX wrote 0); start = earliest from of the whole history as MO's
// DateTime at Copenhagen midnight (§1.3, §7.9), summer +02:00, winter +01:00.
const engagementRsd =
  engagementHeader +
  record(E_ANNA_1, P_ANNA, U_SKOLE, '1', JF_LAERER, '1', 'Månedsløn', '2010-08-01T00:00:00+02:00') + // started in Børnehuset
  record(E_ANNA_2, P_ANNA, U_BH, '1', JF_PAEDAGOG, '0', 'Timeløn', '2023-01-01T00:00:00+01:00') +
  record(E_BO, P_BO, U_HOLD, '1', JF_PAEDAGOG, '1', 'Timeløn', '2015-03-01T00:00:00+01:00') +
  record(E_DORTE, P_DORTE, U_BH, '1', '', '1', 'Månedsløn', '2024-06-01T00:00:00+02:00') +
  record(E_HANS, P_HANS, U_ROOT, '1', JF_RETIRED, '1', 'Månedsløn', '2000-01-01T00:00:00+01:00');

// stillingskode.csv (§1.4): job function classes valid today, class order, used by an exported engagement.
// "Ubrugt" is unused; the retired class Hans uses is not a class today (dangling, §7.15).
const stillingskode =
  record('StillingskodeID', 'AktivStatus', 'Stillingskode', 'Stillingskode#') +
  record(JF_PAEDAGOG, '1', 'Pædagog', JF_PAEDAGOG) +
  record(JF_LAERER, '1', 'Lærer "senior"', JF_LAERER);

// leder.csv (§1.5), exported units in pre-order; Skolen's manager ended; Klasse 1A is not exported; vacant left out.
// Viborg: one row per unit, the last manager; "Personale: ansættelse/afskedigelse", else the last responsibility,
// else "Intet ansvar".
const lederViborg =
  record('BrugerId', 'AfdelingsID', 'AktivStatus', 'Titel') +
  record(P_ANNA, U_ROOT, '1', 'Personale: ansættelse/afskedigelse') +
  record(P_BO, U_HOLD, '1', 'Intet ansvar') +
  record(P_EVA, U_BH, '1', 'Arbejdsmiljø'); // Eva is in no bruger.csv row: not cross-checked (§1.5)

// RSD: every manager; "Personaleledelse" preferred (fix of §7.2: DIPEX took the first), else the first, else "".
const lederRsd =
  record('BrugerId', 'AfdelingsID', 'AktivStatus', 'Titel', 'OrganisationsfunktionsUUID') +
  record(P_HANS, U_ROOT, '1', 'Personaleledelse', M_ROOT_1) + // DIPEX: "Budgetansvar"
  record(P_ANNA, U_ROOT, '1', 'Personale: ansættelse/afskedigelse', M_ROOT_2) +
  record(P_BO, U_HOLD, '1', '', M_HOLD) +
  record(P_EVA, U_BH, '1', 'Budgetansvar', M_BH);

describe('plan2learn golden files', () => {
  it('Viborg: all five files, byte for byte', () => {
    const exp = exportPlan2Learn(goldenSnapshot(), goldenOptions('Viborg'));
    assert.deepEqual(
      exp.files.map((f) => f.name),
      ['bruger.csv', 'organisation.csv', 'engagement.csv', 'stillingskode.csv', 'leder.csv'],
    );
    assert.equal(text(exp, 'bruger.csv'), brugerViborg);
    assert.equal(text(exp, 'organisation.csv'), organisation);
    assert.equal(text(exp, 'engagement.csv'), engagementViborg);
    assert.equal(text(exp, 'stillingskode.csv'), stillingskode);
    assert.equal(text(exp, 'leder.csv'), lederViborg);
    assert.deepEqual(
      exp.files.map((f) => f.rows),
      [6, 4, 5, 2, 3],
    );
  });

  it('RSD: all five files, byte for byte', () => {
    const exp = exportPlan2Learn(goldenSnapshot(), goldenOptions('RSD'));
    assert.equal(text(exp, 'bruger.csv'), brugerRsd);
    assert.equal(text(exp, 'organisation.csv'), organisation);
    assert.equal(text(exp, 'engagement.csv'), engagementRsd);
    assert.equal(text(exp, 'stillingskode.csv'), stillingskode);
    assert.equal(text(exp, 'leder.csv'), lederRsd);
  });

  it('notes what was left out or could not be read, without CPR numbers', () => {
    const exp = exportPlan2Learn(goldenSnapshot(), goldenOptions('Viborg'));
    const notes = exp.notes.join('\n');
    assert.match(notes, new RegExp(`person ${P_JENS} .* not valid on 2024-05-15`));
    assert.match(notes, new RegExp(`unit ${U_BH}: the DAR address "Ukendt"`));
    assert.match(notes, new RegExp(`job function ${JF_RETIRED} .* not in stillingskode.csv`));
    assert.match(notes, new RegExp(`unit ${U_ROOT} has 2 managers`));
    for (const p of goldenSnapshot().persons) {
      const cpr = p.validities[0]!.cprNumber;
      if (cpr) assert.ok(!notes.includes(cpr) && !notes.includes(cpr.slice(0, 6)), 'no CPR number, not even its birth date');
    }
  });

  it('is deterministic and does not change the snapshot', () => {
    const snapshot = goldenSnapshot();
    const before = JSON.stringify(snapshot);
    const a = exportPlan2Learn(snapshot, goldenOptions('RSD'));
    const b = exportPlan2Learn(snapshot, goldenOptions('RSD'));
    assert.deepEqual(a, b);
    assert.equal(JSON.stringify(snapshot), before);
  });

  it("gives the same leder.csv whatever order MO lists a manager's responsibilities in (OS2MO's is not fixed)", () => {
    const golden = goldenSnapshot();
    const reversed = {
      ...golden,
      managers: golden.managers.map((m) => ({ ...m, validities: m.validities.map((v) => ({ ...v, responsibilityUuids: [...v.responsibilityUuids].reverse() })) })),
    };
    for (const variant of ['Viborg', 'RSD'] as const) {
      assert.equal(text(exportPlan2Learn(reversed, goldenOptions(variant)), 'leder.csv'), variant === 'RSD' ? lederRsd : lederViborg);
    }
  });
});
