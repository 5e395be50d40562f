// How AD failures are classified and explained. The server-side codes slapd cannot be made to send
// (busy, AD's bind sub-codes) are built here from ldapts' own error classes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BusyError, InvalidCredentialsError, StrongAuthRequiredError, UnavailableError, UnwillingToPerformError } from 'ldapts';
import { AdReadError, describeAdError, isTransientAdError } from '../../src/ad/errors.js';

const context = { url: 'ldaps://dc1.andeby.local', bindDn: 'ANDEBY\\svc-os2mo', searchBase: 'DC=andeby,DC=local' };
const describeIt = (error: unknown) => describeAdError(error, context);

describe('AD errors', () => {
  it('retries busy and unavailable servers, dropped connections and timeouts', () => {
    for (const error of [
      new BusyError(),
      new UnavailableError(),
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:636'), { code: 'ECONNREFUSED' }),
      new Error('Connection closed before message response was received. Message type: SearchRequest (0x63)'),
      new Error('SearchRequest: Operation timed out'),
      new Error('Connection timeout'),
    ]) {
      const described = describeIt(error);
      assert.ok(isTransientAdError(described), `${error.message} should be retried`);
      assert.ok(described.message.startsWith('ldaps://dc1.andeby.local'));
    }
  });

  it("explains AD's bind sub-codes", () => {
    const locked = describeIt(new InvalidCredentialsError('80090308: LdapErr: DSID-0C09044E, comment: AcceptSecurityContext error, data 775, v4563'));
    assert.equal(locked.transient, false);
    assert.match(locked.message, /refused the bind of "ANDEBY\\svc-os2mo": invalid credentials \(the account is locked out\)/);
    assert.match(describeIt(new InvalidCredentialsError('… data 52e, v4563')).message, /\(the password is wrong\)/);
    assert.match(describeIt(new InvalidCredentialsError()).message, /invalid credentials\. Check/);
  });

  it('points to ldaps when the server wants an encrypted connection', () => {
    assert.match(describeIt(new StrongAuthRequiredError()).message, /use an ldaps:\/\/ URL/);
  });

  it('fails at once on anything else, keeping the cause', () => {
    const cause = new UnwillingToPerformError('00002035: LdapErr: DSID-0C090E17');
    const described = describeIt(cause);
    assert.equal(described.transient, false);
    assert.equal(described.cause, cause);
    const already = new AdReadError('x', true);
    assert.equal(describeIt(already), already);
  });
});
