// The enrichment settings of the OPUS import: AD from `integrations.ad` (whose password never reaches JSON),
// the CPR mapping path (also from CPR_UUID_MAP_PATH, SD's name for it), and the engagement type order.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadSettings } from '../../src/config/load.js';
import { opusImportOptions } from '../../src/config/opus.js';
import { importSettings } from '../../src/sync/importDump.js';

const dir = mkdtempSync(join(tmpdir(), 'moflow-enrich-settings-'));
const PASSWORD = 'S3cret-bind-pw';

describe('OPUS import enrichment settings', () => {
  it('reads AD, the CPR mapping and the primary order; JSON of the options shows no password', () => {
    const path = join(dir, 'settings.json');
    writeFileSync(
      path,
      JSON.stringify({
        'municipality.name': 'Andeby',
        'integrations.opus.eng_types_primary_order': ['Månedsløn', 'Timeløn'],
        'integrations.opus.import.cpr_uuid_map_path': '/opt/dipex/settings/cpr_uuid_map.csv',
        'integrations.ad': [{ servers: ['dc1.andeby.local'], search_base: 'OU=Brugere,DC=andeby', cpr_field: 'extensionAttribute1', system_user: 'ANDEBY\\moflow', password: PASSWORD }],
      }),
    );
    const options = opusImportOptions(loadSettings({ settingsPath: path, env: {} }));
    assert.deepEqual(options.primaryOrder, ['Månedsløn', 'Timeløn']);
    assert.equal(options.cprMapPath, '/opt/dipex/settings/cpr_uuid_map.csv');
    assert.equal(options.ad?.password, PASSWORD, 'the reader gets the password');
    assert.deepEqual(options.ad?.url, ['ldaps://dc1.andeby.local']);
    const settings = importSettings(options);
    assert.deepEqual(settings.plan.primaryOrder, ['Månedsløn', 'Timeløn']);
    assert.ok(settings.enrichments?.ad && settings.enrichments.cprMap, 'AD and the mapping are configured (and read only when a plan needs them)');
    assert.doesNotMatch(JSON.stringify(settings), new RegExp(PASSWORD));
    assert.match(JSON.stringify(options), /"password":"\(hidden\)"/);
  });

  it('without them: no AD, no mapping, no order; CPR_UUID_MAP_PATH sets the mapping', () => {
    const path = join(dir, 'plain.json');
    writeFileSync(path, JSON.stringify({ 'municipality.name': 'Andeby' }));
    const plain = opusImportOptions(loadSettings({ settingsPath: path, env: {} }));
    assert.equal(plain.ad, undefined);
    assert.equal(plain.cprMapPath, undefined);
    assert.equal(plain.primaryOrder, undefined);
    assert.deepEqual(importSettings(plain).enrichments, {});
    assert.equal(opusImportOptions(loadSettings({ settingsPath: path, env: { CPR_UUID_MAP_PATH: '/srv/map.csv' } })).cprMapPath, '/srv/map.csv');
  });
});
