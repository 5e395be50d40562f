// The Plan2Learn settings keys (spec §3): DIPEX's settings.json keys and its Kubernetes environment variables,
// validated per key, and the typed view. Values are parsed here the way src/config/load.ts parses every
// registered key (file value, overridden by the first environment variable set).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, Settings } from '../../src/config/load.js';
import { PLAN2LEARN_SETTINGS, plan2learnKeys, plan2learnSettings } from '../../src/plan2learn/settings.js';
import { problemsOf } from '../support/configProblems.js';

const T1 = 'd3ffdf48-0ea2-72dc-6319-8597bdaa81d3';
const T2 = 'ac485d1c-025f-9818-f2c9-fafea2c1d282';
const ROOT = 'f06ee470-9f17-566f-acbe-e938112d46d9';
const PHONE = '7db54183-1f2c-87ba-d4c3-de22a101ebc1';
const EMAIL = 'fa865555-58b5-327d-e7dc-2990b0d28ff9';

function load(file: Record<string, unknown>, env: Record<string, string> = {}): Settings {
  const values = new Map<string, unknown>();
  const origins = new Map<string, string>();
  const problems: string[] = [];
  for (const spec of PLAN2LEARN_SETTINGS) {
    const fromEnv = spec.env.find((name) => env[name] !== undefined);
    const input = fromEnv ? env[fromEnv] : file[spec.key];
    if (input === undefined) continue;
    const parsed = spec.schema.safeParse(input);
    if (parsed.success) values.set(spec.key, parsed.data);
    else problems.push(`${spec.key}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
    origins.set(spec.key, fromEnv ?? 'settings.json');
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return new Settings(values, origins, null, []);
}

const dipexFile = {
  'exporters.plan2learn.variant': 'Viborg',
  'exporters.plan2learn.root_unit': ROOT.toUpperCase(),
  'exporters.plan2learn.allowed_engagement_types': [T1, T2],
  'plan2learn.phone.priority': [PHONE],
  'plan2learn.email.priority': [EMAIL],
  'integrations.SD_Lon.import.too_deep': ['Afdelings-niveau', 'NY1-niveau'],
};

/** The same settings as environment variables (the key upper-cased, dots as underscores). */
function envOf(file: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(file).map(([k, v]) => [k.toUpperCase().replace(/\./g, '_'), typeof v === 'string' ? v : JSON.stringify(v)]));
}

describe('plan2learn settings', () => {
  it('reads DIPEX\'s settings.json keys; uuids compare in lower case as DIPEX\'s UUID objects did', () => {
    assert.deepEqual(plan2learnSettings(load(dipexFile)), {
      variant: 'Viborg',
      rootUnitUuid: ROOT,
      allowedEngagementTypes: [T1, T2],
      phonePriority: [PHONE],
      emailPriority: [EMAIL],
      tooDeepLevels: ['Afdelings-niveau', 'NY1-niveau'],
      jobTitleField: 'extension_3',
      outputDir: null,
    });
  });

  it("job_title_field: today's field per variant by default (RSD extension_1, Viborg extension_3), any extension or job_function when set, a wrong value named", () => {
    assert.equal(plan2learnSettings(load(dipexFile)).jobTitleField, 'extension_3');
    assert.equal(plan2learnSettings(load({ ...dipexFile, 'exporters.plan2learn.variant': 'RSD' })).jobTitleField, 'extension_1');
    assert.equal(plan2learnSettings(load({ ...dipexFile, 'exporters.plan2learn.job_title_field': 'extension_10' })).jobTitleField, 'extension_10');
    assert.equal(plan2learnSettings(load({}, { ...envOf(dipexFile), EXPORTERS_PLAN2LEARN_JOB_TITLE_FIELD: 'job_function' })).jobTitleField, 'job_function');
    const problems = problemsOf(() => load({ ...dipexFile, 'exporters.plan2learn.job_title_field': 'extension_2x' }));
    assert.deepEqual(problems, [
      'exporters.plan2learn.job_title_field: must be one of extension_1, extension_2, extension_3, extension_4, extension_5, extension_6, extension_7, extension_8, extension_9, extension_10, job_function',
    ]);
  });

  it('reads the environment variables of DIPEX\'s Kubernetes mode, lists as JSON', () => {
    const env = {
      PLAN2LEARN_VARIANT: 'RSD',
      EXPORTERS_PLAN2LEARN_ROOT_UNIT: ROOT,
      EXPORTERS_PLAN2LEARN_ALLOWED_ENGAGEMENT_TYPES: JSON.stringify([T2]),
      PLAN2LEARN_PHONE_PRIORITY: JSON.stringify([PHONE]),
      PLAN2LEARN_EMAIL_PRIORITY: '[]',
      INTEGRATIONS_SD_LON_IMPORT_TOO_DEEP: '["NY1-niveau"]',
    };
    const view = plan2learnSettings(load({}, env));
    assert.equal(view.variant, 'RSD');
    assert.deepEqual(view.allowedEngagementTypes, [T2]);
    assert.deepEqual(view.phonePriority, [PHONE]);
    assert.deepEqual(view.emailPriority, []);
    assert.deepEqual(view.tooDeepLevels, ['NY1-niveau']);
  });

  it('accepts the other spelling of the priority keys, and refuses both spellings with different lists', () => {
    const { 'plan2learn.phone.priority': _p, 'plan2learn.email.priority': _e, ...rest } = dipexFile;
    const view = plan2learnSettings(load({ ...rest, 'plan2learn.phone_priority': [PHONE], 'plan2learn.email_priority': [EMAIL] }));
    assert.deepEqual([view.phonePriority, view.emailPriority], [[PHONE], [EMAIL]]);
    const problems = problemsOf(() => plan2learnSettings(load({ ...dipexFile, 'plan2learn.phone_priority': [EMAIL] })));
    assert.deepEqual(problems, [
      'plan2learn.phone.priority and plan2learn.phone_priority are both set, to different lists. Fix: keep one of them (they mean the same).',
    ]);
  });

  it('an empty allowed_engagement_types is an error, not silently empty files', () => {
    const problems = problemsOf(() => load({ ...dipexFile, 'exporters.plan2learn.allowed_engagement_types': [] }));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^exporters\.plan2learn\.allowed_engagement_types: an empty list would export no users .*; set exporters\.plan2learn\.allowed_engagement_types/);
    assert.ok(problemsOf(() => load({}, { EXPORTERS_PLAN2LEARN_ALLOWED_ENGAGEMENT_TYPES: '[]' }))[0]!.includes('would export no users'));
  });

  it('says what is wrong with a value', () => {
    assert.deepEqual(problemsOf(() => load({ 'exporters.plan2learn.variant': 'Aarhus' })), ['exporters.plan2learn.variant: must be "RSD" or "Viborg"']);
    assert.deepEqual(problemsOf(() => load({ 'exporters.plan2learn.root_unit': '1234' })), [
      'exporters.plan2learn.root_unit: must be a uuid such as 7db54183-1f2c-87ba-d4c3-de22a101ebc1',
    ]);
    assert.match(problemsOf(() => load({ 'plan2learn.email.priority': [EMAIL, 'Email'] }))[0]!, /^plan2learn\.email\.priority: must be a uuid/);
  });

  it('names every missing required key at once, with the fix', () => {
    const problems = problemsOf(() => plan2learnSettings(load({ 'plan2learn.phone.priority': [PHONE] })));
    assert.equal(problems.length, 3);
    assert.match(problems[0]!, /^exporters\.plan2learn\.variant is not set, and the Plan2Learn export needs it .* Fix: add "exporters\.plan2learn\.variant": "Viborg" .* or set EXPORTERS_PLAN2LEARN_VARIANT\.$/);
    assert.match(problems[1]!, /^exporters\.plan2learn\.root_unit is not set/);
    assert.match(problems[2]!, /^exporters\.plan2learn\.allowed_engagement_types is not set/);
  });

  it('declares DIPEX\'s environment names', () => {
    assert.deepEqual(plan2learnKeys.variant.env, ['EXPORTERS_PLAN2LEARN_VARIANT', 'PLAN2LEARN_VARIANT']);
    assert.deepEqual(plan2learnKeys.tooDeep.env, ['INTEGRATIONS_SD_LON_IMPORT_TOO_DEEP']);
    assert.deepEqual(plan2learnKeys.phonePriority.env, ['PLAN2LEARN_PHONE_PRIORITY']);
    assert.deepEqual(plan2learnKeys.emailPriorityUnderscore.env, ['PLAN2LEARN_EMAIL_PRIORITY']);
  });
});
