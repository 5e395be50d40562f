// The real OS2MO the suites run against: its two starting states, production auth through the Keycloak
// stand-in, and what moflow says when OS2MO refuses a token or a right.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { BOOTSTRAP_CLASSES, BOOTSTRAP_FACETS } from '../../src/localmo/bootstrap.js';
import { createMoClient, MoError } from '../../src/mo/index.js';
import { useMo, moSkip } from '../support/moTargets.js';
import { READER } from '../support/os2mo/index.js';

describe('real OS2MO, bootstrapped as OS2MO-Init leaves it', { skip: await moSkip('os2mo') }, () => {
  const mo = useMo('os2mo');

  it('answers moflow through Keycloak client credentials, with the standard facets and classes', async () => {
    const client = mo.client();
    const facets = await client.facets.read({});
    assert.deepEqual(facets.map((f) => f.userKey).sort(), [...BOOTSTRAP_FACETS].sort());
    const classes = await client.classes.read({});
    assert.equal(classes.length, BOOTSTRAP_CLASSES.length);
    const version = await mo.ok<{ version: { mo_version: string | null } }>('{ version { mo_version } }');
    assert.ok('mo_version' in version.version);
  });

  it('refuses a wrong client secret, and moflow names the client and the token endpoint', async () => {
    const options = mo.clientOptions();
    const client = createMoClient({ ...options, auth: { ...options.auth!, clientSecret: 'not-the-secret' }, retry: { retries: 0 } });
    await assert.rejects(client.facets.read({}), (error: unknown) => {
      assert.ok(error instanceof MoError);
      assert.match(error.message, /Keycloak refused the client credentials of client 'moflow'/);
      assert.doesNotMatch(error.message, /not-the-secret/);
      return true;
    });
  });

  it('refuses a write with a read-only token, and moflow says the right is missing', async () => {
    const options = mo.clientOptions();
    const reader = createMoClient({ ...options, auth: { ...options.auth!, ...READER }, retry: { retries: 0 } });
    assert.ok((await reader.facets.read({})).length > 0, 'a reader may read');
    await assert.rejects(reader.facets.create({ uuid: randomUUID(), userKey: 'moflow_test_facet' }), (error: unknown) => {
      assert.ok(error instanceof MoError, String(error));
      assert.match(error.message, /refused access \(No policy approved the access\): the Keycloak client's token lacks the role/);
      return true;
    });
  });
});

describe('real OS2MO, bare (root organisation only)', { skip: await moSkip('os2mo') }, () => {
  const mo = useMo('os2mo', { state: 'bare' });

  it('has the root organisation and no facets or classes', async () => {
    const data = await mo.ok<{ org: { uuid: string }; facets: { objects: unknown[] }; classes: { objects: unknown[] } }>(
      '{ org { uuid } facets { objects { uuid } } classes { objects { uuid } } }',
    );
    assert.match(data.org.uuid, /^[0-9a-f-]{36}$/);
    assert.equal(data.facets.objects.length, 0);
    assert.equal(data.classes.objects.length, 0);
  });
});
