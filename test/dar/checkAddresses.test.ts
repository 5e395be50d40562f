// `moflow opus check-addresses` on a local dump folder, against the local DAR server and a real
// PostgreSQL cache: which units are listed (and why), that the newest dump is read, that the cache is used,
// and that an outage is summarised rather than listed, with exit code 0.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { checkUnitAddresses } from '../../src/cli/checkAddresses.js';
import { loadSettings } from '../../src/config/load.js';
import { createTestDatabase, dropTestDatabase, postgresSkip } from '../support/postgres.js';
import { dar, DarServer } from '../support/darServer.js';

const skip = await postgresSkip();
const ROOT = new URL('../../', import.meta.url).pathname;
const uuidOf = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function unit(id: string, longName: string, street: string | null, zipCode: string | null): string {
  const el = (name: string, v: string | null) => (v === null ? `<${name}/>` : `<${name}>${v}</${name}>`);
  return `<orgUnit id="${id}" client="813" lastChanged="2024-01-01"><startDate>1900-01-01</startDate><endDate>9999-12-31</endDate>
    <parentOrgUnit/><shortName>${id}</shortName><longName>${longName}</longName>${el('street', street)}${el('zipCode', zipCode)}<city>Andeby</city></orgUnit>`;
}
const dumpXml = (units: string[]) => `<?xml version="1.0" encoding="utf-8"?>\n<kmd>\n${units.join('\n')}\n</kmd>\n`;

describe('moflow opus check-addresses', { skip }, () => {
  let server: DarServer;
  let dbUrl: string;
  let dir: string;
  let settingsPath: string;
  const settings = () => loadSettings({ settingsPath, env: {} });
  const fastClient = { client: { timeoutMs: 300, retry: { retries: 1, minTimeoutMs: 5, maxTimeoutMs: 10 } } };

  before(async () => {
    server = await DarServer.start();
    dbUrl = await createTestDatabase('moflow_dar_check');
    dir = mkdtempSync(join(tmpdir(), 'moflow-check-addresses-'));
    const dumps = join(dir, 'dumps');
    settingsPath = join(dir, 'settings.json');
    writeFileSync(
      settingsPath,
      JSON.stringify({
        'integrations.opus.import.xml_path': dumps,
        'moflow.dar.base_url': server.url,
        'moflow.mo.database_url': dbUrl,
        'moflow.data_dir': join(dir, 'data'),
      }),
    );
    mkdirSync(dumps);
    // An older dump whose unit 9 is gone from the newest: only the newest is checked.
    writeFileSync(join(dumps, 'ZLPE20240101_delta.xml'), dumpXml([unit('9', 'Nedlagt', 'Ukendtvej 9', '8880')]));
    writeFileSync(
      join(dumps, 'ZLPE20240102_delta.xml'),
      dumpXml([
        unit('10', 'Rådhuset', 'Paradisæblevej 1', '8880'),
        unit('2', 'Skolen', 'Skolevej 2', '8880'),
        unit('3', 'Børnehaven', 'Et sted 3', '8880'),
        unit('4', 'Uden adresse', null, null),
        unit('5', 'Halv adresse', 'Halvvej 5', null),
        unit('6', 'Nede', 'Nedevej 6', '8880'),
      ]),
    );
  });
  after(async () => {
    await server?.stop();
    if (dbUrl) await dropTestDatabase(dbUrl);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.resetCounts();
    server.answer('Paradisæblevej 1, 8880', { adresser: dar.found(uuidOf(1)) });
    server.answer('Skolevej 2, 8880', { adresser: dar.uncertain(), adgangsadresser: dar.found(uuidOf(2), 'B') });
    server.answer('Et sted 3, 8880', { adresser: dar.uncertain(4), adgangsadresser: dar.uncertain(2) });
    server.answer('Nedevej 6, 8880', { adresser: dar.status(503) });
  });

  it('lists the newest dump’s units that do not resolve, with why; outages are counted, not listed', async () => {
    const check = await checkUnitAddresses(settings(), fastClient);
    assert.equal(check.dump, 'ZLPE20240102_delta.xml');
    assert.equal(check.units, 6);
    assert.equal(check.withAddress, 4);
    assert.equal(check.resolved, 2);
    assert.equal(check.unanswered, 1);
    assert.deepEqual(
      check.unresolved.map((u) => [u.id, u.longName, u.street, u.zipCode]),
      [
        ['3', 'Børnehaven', 'Et sted 3', '8880'],
        ['5', 'Halv adresse', 'Halvvej 5', null],
      ],
    );
    assert.match(check.unresolved[0]!.why, /DAR found no unique address for "Et sted 3, 8880" \(adresser: category C/);
    assert.match(check.unresolved[1]!.why, /street without zipCode/);
    assert.equal(server.count({ betegnelse: 'Ukendtvej 9, 8880' }), 0, 'the older dump is not read');
  });

  it('prints tab-separated rows and a summary through the command, exit code 0, and uses the cache', async () => {
    // A real process: its stdout, stderr and exit code, as an operator sees them.
    const run = () =>
      new Promise<{ out: string; err: string; code: number | null }>((resolve, reject) => {
        const script = [
          `import { Command } from 'commander';`,
          `import { registerCheckAddressesCommand } from './src/cli/checkAddresses.ts';`,
          `const program = new Command('moflow').option('--settings <file>');`,
          `registerCheckAddressesCommand(program.command('opus'));`,
          `await program.parseAsync(process.argv.slice(1), { from: 'user' });`,
        ].join('\n');
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, '--', '--settings', settingsPath, 'opus', 'check-addresses'], {
          cwd: ROOT,
          env: { PATH: process.env.PATH ?? '' },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ out, err, code }));
      });
    // The command retries as in production (seconds); a refusing proxy makes the outage quick.
    server.answer('Nedevej 6, 8880', { adresser: dar.status(403) });
    const first = await run();
    assert.equal(first.code, 0, first.err);
    if (process.env.SHOW_OUTPUT) console.log(first.out + first.err);
    const rows = first.out.trim().split('\n').map((l) => l.split('\t'));
    assert.deepEqual(rows.map((r) => r.slice(0, 4)), [
      ['3', 'Børnehaven', 'Et sted 3', '8880'],
      ['5', 'Halv adresse', 'Halvvej 5', ''],
    ]);
    assert.match(first.err, /DAR did not answer 1 look-up\(s\); the last: DAR datavask\/adresser answered HTTP 403: is the DAR base URL http:\/\/127\.0\.0\.1:\d+ right\?/);
    assert.match(first.err, /ZLPE20240102_delta\.xml: 6 units, 4 with street and zipCode: 2 resolve in DAR, 2 listed as not resolving; 1 not checked because DAR did not answer/);

    // The first test and the first run filled the cache: only the unanswered address is asked again.
    server.resetCounts();
    const second = await run();
    assert.equal(second.code, 0, second.err);
    assert.equal(second.out, first.out);
    assert.deepEqual(new Set(server.requests.map((r) => r.betegnelse)), new Set(['Nedevej 6, 8880']));
    assert.match(second.err, /cache hit rate 75\.0 %/);
  });
});
