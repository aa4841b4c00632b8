import assert from 'node:assert/strict';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { reusingTokens } from '../../src/graph/client';

describe('the Graph token is reused while it is good', () => {
  const MINUTE = 60_000;
  function counting(lifetimeInMs: number, now: () => number): TokenCredential & { asked: number } {
    const c = {
      asked: 0,
      async getToken(): Promise<AccessToken> {
        c.asked++;
        return { token: `t${c.asked}`, expiresOnTimestamp: now() + lifetimeInMs };
      },
    };
    return c;
  }

  it('asks once while the token has more than five minutes left, and again after', async () => {
    let now = 0;
    const inner = counting(60 * MINUTE, () => now);
    const tokens = reusingTokens(inner, () => now);
    assert.equal((await tokens.getToken('https://graph.microsoft.com/.default'))?.token, 't1');
    now = 54 * MINUTE;
    assert.equal((await tokens.getToken('https://graph.microsoft.com/.default'))?.token, 't1');
    now = 55 * MINUTE;
    assert.equal((await tokens.getToken('https://graph.microsoft.com/.default'))?.token, 't2');
    assert.equal(inner.asked, 2);
  });

  it('asks again for other scopes, for a claims challenge, and after a failed ask', async () => {
    const now = 0;
    const inner = counting(60 * MINUTE, () => now);
    const tokens = reusingTokens(inner, () => now);
    await tokens.getToken('a/.default');
    await tokens.getToken('b/.default');
    await tokens.getToken('b/.default', { claims: 'challenge' });
    assert.equal(inner.asked, 3);
    const failing = reusingTokens({ getToken: async () => null }, () => now);
    assert.equal(await failing.getToken('a/.default'), null);
  });
});
