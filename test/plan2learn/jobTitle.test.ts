// exporters.plan2learn.job_title_field (src/plan2learn/jobTitle.ts) on the golden snapshot: the default is
// each variant's field of today (the golden files in golden.test.ts), another field is read from the same
// engagement the variant's rule picks.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportPlan2Learn } from '../../src/plan2learn/export.js';
import type { JobTitleField } from '../../src/plan2learn/jobTitle.js';
import type { Plan2LearnVariant } from '../../src/plan2learn/options.js';
import { goldenOptions, goldenSnapshot, P_ANNA, P_BO, P_CARL, P_HANS } from './fixture.js';

/** bruger.csv's Stilling per person, for the variant and field. */
function stilling(variant: Plan2LearnVariant, jobTitleField?: JobTitleField): Map<string, string> {
  const exported = exportPlan2Learn(goldenSnapshot(), goldenOptions(variant, jobTitleField ? { jobTitleField } : {}));
  const lines = exported.files.find((f) => f.name === 'bruger.csv')!.content.toString('utf8').trim().split('\r\n').slice(1);
  return new Map(lines.map((line) => {
    const cells = line.slice(1, -1).split('";"');
    return [cells[0]!, cells[5]!.replace(/""/g, '"')];
  }));
}

describe('exporters.plan2learn.job_title_field', () => {
  it("the default is today's: Viborg extension_3, else the job function's name; RSD extension_1", () => {
    assert.deepEqual(stilling('Viborg'), stilling('Viborg', 'extension_3'));
    assert.equal(stilling('Viborg').get(P_ANNA), 'Lærer (Viborg)');
    assert.equal(stilling('Viborg').get(P_BO), 'Pædagog');
    assert.deepEqual(stilling('RSD'), stilling('RSD', 'extension_1'));
    assert.equal(stilling('RSD').get(P_ANNA), 'Lærer');
  });

  it('Viborg reads the field named from the primary engagement, the job function name when it is empty', () => {
    const byExtension1 = stilling('Viborg', 'extension_1');
    assert.equal(byExtension1.get(P_ANNA), 'Lærer'); // her primary engagement's extension_1
    assert.equal(byExtension1.get(P_BO), 'Pædagog (RSD)');
    const byJobFunction = stilling('Viborg', 'job_function');
    assert.equal(byJobFunction.get(P_ANNA), 'Lærer "senior"'); // the class name, not extension_3
    assert.equal(byJobFunction.get(P_HANS), ''); // job function not a class today
    assert.equal(stilling('Viborg', 'extension_2').get(P_ANNA), 'Lærer "senior"', 'extension_2 is empty: the job function name');
  });

  it("RSD reads the field named from the engagement its rule picks; an empty field stays empty", () => {
    assert.equal(stilling('RSD', 'job_function').get(P_ANNA), 'Lærer "senior"');
    assert.equal(stilling('RSD', 'job_function').get(P_CARL), '', 'no job function');
    assert.equal(stilling('RSD', 'extension_3').get(P_ANNA), 'Lærer (Viborg)');
    assert.equal(stilling('RSD', 'extension_3').get(P_BO), '');
  });
});
