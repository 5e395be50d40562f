// The contract between moflow's local MO and the real OS2MO 66.1.2 (issue 12 §3): every case is written
// once (test/contract/cases) and runs against each MO; each asserts OS2MO's answers as measured, and when
// both MOs run, their transcripts (data, error messages, error_context) must be identical. Finally every
// document moflow can send (src/mo/documents) must have been sent by some case.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { MUTATIONS, READ_DOCUMENTS } from '../../src/mo/documents/registry.js';
import { darCases } from './cases/dar.js';
import { DOCUMENT_CASES } from './cases/documents.js';
import { FUNCTION_CASES } from './cases/functions.js';
import { READ_CASES } from './cases/reads.js';
import { UNIT_CASES } from './cases/units.js';
import { Contract, sentDocuments, transcripts, type ContractCase } from './support/contract.js';
import { DarServer } from '../support/darServer.js';
import { moKinds, moSkip, useMo, type MoKind } from '../support/moTargets.js';

// Both MOs' own DAR: one stand-in, which each case tells what addresses DAR has.
const dar = await DarServer.start();
after(() => dar.stop());

const CASES: ContractCase[] = [...UNIT_CASES, ...FUNCTION_CASES, ...READ_CASES, ...DOCUMENT_CASES, ...darCases(() => dar)];
const kinds = moKinds();
const skips = new Map<MoKind, string | false>();
for (const kind of kinds) skips.set(kind, await moSkip(kind));

for (const kind of kinds) {
  describe(`contract (${kind} MO)`, { skip: skips.get(kind) ?? false }, () => {
    // A bare OS2MO (root organisation only): every case makes the facets and classes it needs. Its DAR is the
    // stand-in.
    const mo = useMo(kind, { state: 'bare', darBaseUrl: () => dar.url });
    for (const c of CASES) it(c.name, () => c.run(new Contract(mo, c.name)));
  });
}

const ran = kinds.filter((k) => !skips.get(k));

describe('contract: both MOs answered alike', { skip: ran.length < 2 ? 'needs both MOs (MOFLOW_TEST_MO=both)' : false }, () => {
  for (const c of CASES) {
    it(c.name, () => {
      const byKind = transcripts.get(c.name);
      const [local, os2mo] = [byKind?.get('local'), byKind?.get('os2mo')];
      assert.ok(local && os2mo, 'the case ran against both MOs');
      for (let i = 0; i < Math.max(local.length, os2mo.length); i++) {
        assert.deepEqual(local[i], os2mo[i], `step ${i} (${os2mo[i]?.label ?? local[i]?.label})`);
      }
    });
  }
});

describe('contract: coverage', { skip: ran.length === 0 ? 'no MO ran' : false }, () => {
  it('sends every document of src/mo/documents', () => {
    const documents = [...READ_DOCUMENTS, ...MUTATIONS.flatMap((m) => [m.document, ...(m.bulkDocument ? [m.bulkDocument] : [])])];
    const missing = documents.filter((d) => !sentDocuments.has(d.text)).map((d) => d.operationName);
    assert.deepEqual(missing, []);
    assert.ok([...sentDocuments].some((text) => text.startsWith('mutation MoBatch')), 'a batch of several mutations');
  });
});
