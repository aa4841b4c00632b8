import assert from 'node:assert/strict';
import { ClientCertificateCredential, ClientSecretCredential, ManagedIdentityCredential } from '@azure/identity';
import { createCredential } from '../../src/graph/credential';

const TENANT = 'c0ffee00-7a90-4d1e-9b1a-5a4db0c0ffee';
const CLIENT = 'b0b0b0b0-0000-4000-8000-00000000b0b0';

describe('createCredential', () => {
  it('builds the credential kind the configuration names', () => {
    const opts = { authorityHost: 'https://login.microsoftonline.com' };
    assert.ok(createCredential({ kind: 'secret', clientId: CLIENT, clientSecret: 's' }, TENANT, opts) instanceof ClientSecretCredential);
    assert.ok(createCredential({ kind: 'certificate', clientId: CLIENT, certificatePath: '/nonexistent.pem' }, TENANT, opts) instanceof ClientCertificateCredential);
    assert.ok(createCredential({ kind: 'managedIdentity', clientId: CLIENT }, TENANT, opts) instanceof ManagedIdentityCredential);
    assert.ok(createCredential({ kind: 'managedIdentity' }, TENANT, opts) instanceof ManagedIdentityCredential);
  });

  it('refuses an http authority (MSAL only accepts https)', () => {
    assert.throws(() => createCredential({ kind: 'secret', clientId: CLIENT, clientSecret: 's' }, TENANT, { authorityHost: 'http://127.0.0.1:1' }));
  });
});
