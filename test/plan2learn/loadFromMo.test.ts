// The export through the MO client (issue acceptance): a municipality written into each MO (the local MO and
// the real OS2MO) with the client's write operations, read back by the loader in bulk, exported → the exact
// bytes of all five files, for both variants. A counting proxy in front of MO shows the reads: one request
// per collection. Each MO names the units' DAR addresses itself, from the DAR stand-in.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createMoClient, type MoClient } from '../../src/mo/index.js';
import { exportPlan2Learn } from '../../src/plan2learn/export.js';
import { loadSnapshotFromMo } from '../../src/plan2learn/loadFromMo.js';
import type { DarServer } from '../support/darServer.js';
import { moKinds, moSkip, useMo } from '../support/moTargets.js';
import {
  AT_MOBILE,
  AT_PHONE_WORK,
  CPRS,
  EXPECTED,
  HOME_DAR,
  JF_RETIRED,
  moGoldenOptions,
  P_HANS,
  startGoldenDar,
  U_BH,
  U_ROOT,
  writeMoGoldenState,
} from './moGolden.js';

const TODAY = '2024-05-15';

/** Forwards GraphQL requests (with their credentials) to `target`, counting them by operation name. */
async function countingProxy(target: () => string): Promise<{ url: string; counts: Map<string, number>; close(): Promise<void> }> {
  const counts = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const name = (JSON.parse(body.toString('utf8')) as { operationName?: string }).operationName ?? '?';
    counts.set(name, (counts.get(name) ?? 0) + 1);
    const authorization = req.headers.authorization;
    const answer = await fetch(`${target()}${req.url}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body });
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    counts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const kind of moKinds()) {
  describe(`Plan2Learn export of a MO state built through the client (${kind})`, { skip: await moSkip(kind) }, () => {
    // Started before the MO: it is the MO's own DAR.
    let dar: DarServer;
    before(async () => {
      dar = await startGoldenDar();
    });
    const mo = useMo(kind, { darBaseUrl: () => dar.url });
    let proxy: Awaited<ReturnType<typeof countingProxy>>;
    let client: MoClient;

    before(async () => {
      await writeMoGoldenState(mo.client(), dar);
      proxy = await countingProxy(() => mo.url);
      const options = mo.clientOptions();
      client = createMoClient({ ...options, baseUrl: proxy.url });
    });
    after(async () => {
      await proxy?.close();
      await dar?.stop();
    });

    for (const variant of ['Viborg', 'RSD'] as const) {
      it(`${variant}: all five files, byte for byte, from one read per collection (two of classes)`, async () => {
        proxy.counts.clear();
        const { snapshot } = await loadSnapshotFromMo(client, { today: TODAY, variant, phonePriority: moGoldenOptions(variant, TODAY).phonePriority });
        assert.deepEqual(Object.fromEntries([...proxy.counts].sort()), {
          MoAddresses: 1, // e-mails (every EMAIL type) and phones (the listed PHONE types)
          MoAddressesWithName: 1, // units' DAR addresses, named
          // Every class, and the primary classes of the engagements' slices: the client works is_primary out
          // from their scopes, because OS2MO would look the class up once per slice.
          MoClasses: 2,
          MoEngagements: 1,
          MoFacets: 1,
          MoManagers: 1,
          MoOrgUnits: 1,
          MoPersons: 1,
        });
        const exported = exportPlan2Learn(snapshot, moGoldenOptions(variant, TODAY));
        assert.deepEqual(exported.files.map((f) => f.name), ['bruger.csv', 'organisation.csv', 'engagement.csv', 'stillingskode.csv', 'leder.csv']);
        for (const file of exported.files) {
          assert.equal(file.content.toString('utf8'), EXPECTED[variant][file.name], `${variant} ${file.name}`);
          assert.equal(file.content.subarray(0, 3).toString('hex') === 'efbbbf', false, 'no BOM');
        }
        assert.deepEqual(exported.files.map((f) => f.rows), variant === 'Viborg' ? [6, 4, 5, 2, 3] : [6, 4, 5, 2, 4]);
      });
    }

    it('reads in pages and joins them: pages of 2 give the same files', async () => {
      proxy.counts.clear();
      const { snapshot, stats } = await loadSnapshotFromMo(client, { today: TODAY, variant: 'RSD', phonePriority: [AT_MOBILE, AT_PHONE_WORK], pageSize: 2 });
      assert.ok((proxy.counts.get('MoPersons') ?? 0) >= 5, 'ten persons in pages of two');
      assert.equal(stats.objects.persons, 10);
      const exported = exportPlan2Learn(snapshot, moGoldenOptions('RSD', TODAY));
      for (const file of exported.files) assert.equal(file.content.toString('utf8'), EXPECTED.RSD[file.name], file.name);
    });

    it('reads only what the export needs: no home address, no ended slice of a current read', async () => {
      const { snapshot, stats } = await loadSnapshotFromMo(client, { today: TODAY, variant: 'Viborg', phonePriority: [AT_MOBILE, AT_PHONE_WORK] });
      const values = snapshot.addresses.flatMap((a) => a.validities.map((v) => v.value));
      assert.ok(!values.includes(HOME_DAR), "Hans's home address is not read (nor looked up in DAR)");
      assert.ok(!values.includes('+4500000000'), 'an address that ended before today is not read');
      assert.ok(!values.includes('33333333'), 'a phone type outside the priority list is not read');
      assert.ok(!values.includes('86000000'), "a unit's phone is not read");
      assert.equal(stats.objects['unit addresses'], 5, 'the DAR addresses of units valid today');
      assert.equal(dar.lookupCount({ id: HOME_DAR }), 0, 'DAR was never asked about it since the state was written');
      assert.ok(dar.lookupCount() > 0, 'the units\' DAR addresses were looked up in DAR');
      // Viborg needs no history: only slices reaching today.
      assert.ok(snapshot.engagements.every((e) => e.validities.every((v) => v.to === null || v.to > TODAY)));
    });

    it('notes what it left out, with uuids and never a CPR number', async () => {
      const { snapshot } = await loadSnapshotFromMo(client, { today: TODAY, variant: 'Viborg', phonePriority: [AT_MOBILE, AT_PHONE_WORK] });
      const notes = exportPlan2Learn(snapshot, moGoldenOptions('Viborg', TODAY)).notes.join('\n');
      // A DAR address DAR does not have: both MOs name it "Ukendt" (mora's dar.NOT_FOUND).
      assert.match(notes, new RegExp(`unit ${U_BH}: the DAR address "Ukendt" is not an address text`));
      assert.match(notes, new RegExp(`job function ${JF_RETIRED} .* not in stillingskode.csv`));
      assert.match(notes, new RegExp(`Viborg Stilling of person ${P_HANS} is empty`));
      assert.match(notes, new RegExp(`unit ${U_ROOT} has 2 managers`));
      for (const cpr of CPRS) assert.ok(!notes.includes(cpr.slice(0, 6)), 'no CPR number, not even its birth date');
    });
  });
}
