/**
 * Passes for a group over HTTP, as Teams would drive it: `tap group New Joiners`, the form,
 * the summary, the bulk approver's card, one approval, the progress card updated in place,
 * result pages with the codes (to the requester only), "handed over" hides them.
 */
import assert from 'node:assert/strict';
import { GROUPS, USERS } from '../../sandbox/ids';
import { SqliteStorage } from '../../src/storage/sqliteStorage';
import { BulkRepository } from '../../src/flow/bulk/repository';
import { cardsOf, executeActions, invokeCard, sentTo, startHarness, textOf, type Harness, type PersonKey } from '../support/httpHarness';

/** Their first morning starts within the hour, on the agent's wall clock (the Teams client says Europe/Copenhagen): the passes are made at approval. */
const soon = Object.fromEntries(
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Copenhagen', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(new Date(Date.now() + 30 * 60_000))
    .map((p) => [p.type, p.value]),
);
const FORM = { group: 'New Joiners', scenario: 'newJoiner', reason: 'December joiners from HR', lifetimeInMinutes: '480', startDate: `${soon['year']}-${soon['month']}-${soon['day']}`, startTime: `${soon['hour']}:${soon['minute']}` };

describe('bulk passes for a group over HTTP (server + sandbox tenant + Bot Connector stand-in)', function () {
  this.timeout(60_000);
  let h: Harness;

  before(async () => {
    h = await startHarness({ LIMIT_PASSES_PER_TARGET_PER_DAY: '100', RISK_RECENT_PASS_DAYS: '0' });
    for (const p of ['adele', 'joni', 'nestor'] as PersonKey[]) assert.ok((await h.client(p).install()).status < 300);
  });
  after(async () => h?.stop());

  it('"tap group <name>" answers with the bulk form, the group filled in', async () => {
    const before = sentTo(h, 'adele').length;
    const r = await h.client('adele').say('tap group New Joiners');
    assert.ok(r.status < 300);
    const form = sentTo(h, 'adele').slice(before).flatMap((x) => cardsOf(x.activity)).at(-1);
    assert.ok(form, 'a card came back');
    assert.match(textOf(form), /Passes for a group/);
    assert.match(textOf(form), /"value":"New Joiners"/);
    assert.ok(executeActions(form).some((a) => a.verb === 'tap.bulk.submit'));
  });

  it('a person who is not a helpdesk agent cannot ask for a group', async () => {
    const r = await h.client('nestor').click('tap.bulk.submit', FORM);
    assert.equal(r.status, 200);
    assert.match(textOf(r.body), /Only members of the helpdesk group/);
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 0);
  });

  it('an unknown group gets a sentence, and the form keeps what was typed', async () => {
    const r = await h.client('adele').click('tap.bulk.submit', { ...FORM, group: 'No Such Group' });
    const card = invokeCard(r.body);
    assert.match(textOf(card), /No group \\"No Such Group\\" in the directory/);
    assert.match(textOf(card), /December joiners from HR/);
  });

  it('submit → summary with who cannot get a pass and why → one approval → codes to the agent only → handed over hides them', async () => {
    const before = { adele: sentTo(h, 'adele').length, joni: sentTo(h, 'joni').length, nestor: sentTo(h, 'nestor').length };
    const r = await h.client('adele').click('tap.bulk.submit', FORM, 'form-activity-1');
    const summary = invokeCard(r.body);
    const text = textOf(summary);
    assert.match(text, /Waiting for approval/);
    assert.match(text, /Pradeep Gupta/, 'the guest is listed');
    assert.match(text, /guest/);
    assert.match(text, /Isaiah Langer/, 'the admin is listed');
    assert.match(text, /Grady Archie/, 'the protected account is listed');
    // Bulk is for people with no sign-in method yet; the others are recoveries or need four eyes, one at a time.
    assert.match(text, /Megan Bowen[^"]*Already has Microsoft Authenticator registered/);
    assert.match(text, /Miriam O.Brien[^"]*manager was changed/);
    assert.match(text, /Lidia Holloway[^"]*Already holds a Temporary Access Pass/);
    assert.match(text, /Would get a pass \(4\):/);
    for (const who of ['Ana Costa', 'Ben Okafor', 'Chloe Martin', 'Patti Fernandez']) assert.ok(text.includes(who), `${who} is named to the approver`);
    const id = /BULK-[2-9A-HJ-NP-Z]{6}/.exec(text)?.[0] as string;
    assert.ok(id, 'the summary names the request');

    // The bulk approver (fallback approvers: Joni) is asked; nobody else.
    const approval = sentTo(h, 'joni').slice(before.joni).flatMap((x) => cardsOf(x.activity)).find((c) => textOf(c).includes(id));
    assert.ok(approval, 'Joni received the bulk approval card');
    assert.ok(executeActions(approval).some((a) => a.verb === 'tap.bulk.approve'));
    assert.equal(sentTo(h, 'nestor').length, before.nestor, "members' managers are not asked");

    // The requester cannot approve their own request.
    const self = await h.client('adele').click('tap.bulk.approve', { requestId: id, attested: 'true' });
    assert.match(textOf(self.body), /someone else has to approve/);
    // Approve without the confirmation: the card comes back with the reason, nothing is created.
    const unticked = await h.client('joni').click('tap.bulk.approve', { requestId: id, attested: 'false' });
    assert.match(textOf(unticked.body), /Tick the confirmation/);
    assert.equal(h.sandbox.state.tapsOf(USERS.megan.id).length, 0);

    const ok = await h.client('joni').click('tap.bulk.approve', { requestId: id, attested: 'true' });
    assert.equal(ok.status, 200);
    assert.match(textOf(invokeCard(ok.body)), /Approved|Done/);
    const bulk = await waitFor(async () => {
      const b = await bulkOf(h, id);
      return b && b.state === 'Completed' ? b : undefined;
    });
    const issued = bulk.members.filter((m) => m.state === 'issued').map((m) => m.id);
    assert.deepEqual(new Set(issued), new Set([USERS.ana.id, USERS.ben.id, USERS.chloe.id, USERS.patti.id]));
    for (const id2 of [USERS.pradeep.id, USERS.isaiah.id, USERS.grady.id, USERS.megan.id, USERS.lasse.id, USERS.miriam.id]) assert.equal(h.sandbox.state.tapsOf(id2).filter((t) => Date.parse(String(t['createdDateTime'])) > Date.now() - 60_000).length, 0);

    // The result page reached the agent, with a code per issued member; the approver sees no code.
    const pages = await waitFor(async () => {
      const p = sentTo(h, 'adele').slice(before.adele).flatMap((x) => cardsOf(x.activity)).filter((c) => /passes, page 1/.test(textOf(c)));
      return p.length > 0 ? p : undefined;
    });
    const page = pages[0]!;
    assert.match(textOf(page), /Ana Costa/);
    assert.match(textOf(page), /aka.ms\/mysecurityinfo/);
    const codes = (JSON.stringify(page).match(/"text":"([^"]{8,})","fontType":"Monospace"/g) ?? []).length;
    assert.equal(codes, issued.length, 'one code per issued member');
    for (const c of sentTo(h, 'joni').flatMap((x) => cardsOf(x.activity))) assert.doesNotMatch(textOf(c), /"fontType":"Monospace"/, 'no code on the approver\'s cards');

    // The progress card (the submitted form) was updated in place.
    assert.ok(h.connector.log.some((x) => x.activity['id'] === 'form-activity-1' || (x as { activityId?: string }).activityId === 'form-activity-1'), 'the progress card was updated in place');

    // Handed over: the page is redrawn without codes.
    const hide = await h.client('adele').click('tap.bulk.handedOver', { requestId: id, page: '1' });
    const hidden = invokeCard(hide.body);
    assert.match(textOf(hidden), /Codes hidden/);
    assert.doesNotMatch(textOf(hidden), /"fontType":"Monospace"/);
    // Someone else cannot hide (or see) the page.
    const other = await h.client('nestor').click('tap.bulk.handedOver', { requestId: id, page: '1' });
    assert.match(textOf(other.body), /not yours/);
    const events = await h.app.flow.getRequest('TAP-222222').then(() => undefined);
    void events;
    void GROUPS;
  });
});

type Bulk = { state: string; members: Array<{ id: string; state: string }> };

async function bulkOf(h: Harness, id: string): Promise<Bulk | undefined> {
  const s = new SqliteStorage({ path: h.sqlitePath });
  try {
    // Through the repository: the request is stored as a head and member chunks.
    return await new BulkRepository(s, () => new Date()).get(id);
  } finally {
    await s.close();
  }
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
