import assert from 'node:assert/strict';
import { cleanText, parseCommand, type Command } from '../../src/bot/commands';

describe('bot/commands', () => {
  const cases: [string, Command][] = [
    ['tap megan@contoso.com', { kind: 'tap', target: 'megan@contoso.com' }],
    ['TAP Megan@Contoso.com', { kind: 'tap', target: 'Megan@Contoso.com' }],
    ['tap for megan@contoso.com', { kind: 'tap', target: 'megan@contoso.com' }],
    ["tap miriam.o'brien@contoso.com", { kind: 'tap', target: "miriam.o'brien@contoso.com" }],
    ['tap', { kind: 'tap' }],
    ['new', { kind: 'tap' }],
    ['request', { kind: 'tap' }],
    ['request for megan@contoso.com', { kind: 'tap', target: 'megan@contoso.com' }],
    ['<at>TAP helpdesk</at> tap megan@contoso.com', { kind: 'tap', target: 'megan@contoso.com' }],
    ['<p>tap <a href="mailto:megan@contoso.com">megan@contoso.com</a></p>', { kind: 'tap', target: 'megan@contoso.com' }],
    ['tap&nbsp;megan@contoso.com', { kind: 'tap', target: 'megan@contoso.com' }],
    ['  tap   megan@contoso.com  ', { kind: 'tap', target: 'megan@contoso.com' }],
    ['status', { kind: 'status' }],
    ['Status megan@contoso.com', { kind: 'status', targetUpn: 'megan@contoso.com' }],
    ['cancel TAP-7K3F9Q', { kind: 'cancel', requestId: 'TAP-7K3F9Q' }],
    ['cancel tap-7k3f9q', { kind: 'cancel', requestId: 'TAP-7K3F9Q' }],
    ['help', { kind: 'help', understood: true }],
    ['?', { kind: 'help', understood: true }],
    // A name or a near miss goes to the look-up, which says what is wrong and whom it may mean.
    ['tap megan', { kind: 'tap', target: 'megan' }],
    ['tap Megan Bowen', { kind: 'tap', target: 'Megan Bowen' }],
    ['tap megan @contoso.com', { kind: 'tap', target: 'megan @contoso.com' }],
    ['tap megan@contoso.com and lasse@contoso.com', { kind: 'help', understood: false }],
    // A known command without the id it needs: that command's usage, not the whole help.
    ['cancel', { kind: 'usage', command: 'cancel' }],
    ['cancel everything', { kind: 'usage', command: 'cancel' }],
    ['revoke', { kind: 'usage', command: 'revoke' }],
    ['revoke megan@contoso.com', { kind: 'usage', command: 'revoke' }],
    ['report', { kind: 'usage', command: 'report' }],
    ['report TAP-7K3F9Q', { kind: 'usage', command: 'report' }],
    ['status of everything', { kind: 'help', understood: false }],
    ['please issue a pass', { kind: 'help', understood: false }],
    ['', { kind: 'help', understood: false }],
    ['<at>TAP helpdesk</at>', { kind: 'help', understood: false }],
  ];
  for (const [text, expected] of cases) {
    it(`"${text}" is ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parseCommand(text), expected);
    });
  }

  it('a missing text is not understood', () => {
    assert.deepEqual(parseCommand(undefined), { kind: 'help', understood: false });
  });

  it('mentions are removed with their content, tags without theirs', () => {
    assert.equal(cleanText('<at>Bot</at> <b>status</b>'), 'status');
  });
});
