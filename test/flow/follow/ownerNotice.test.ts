/**
 * The account owner hears of every pass, and can stop one they did not ask for.
 */
import assert from 'node:assert/strict';
import sinon from 'sinon';
import { FlowError } from '../../../src/errors';
import type { OwnerNoticeLinks } from '../../../src/flow/types';
import type { TapRequest } from '../../../src/flow/types';
import { catalogue } from '../../../src/i18n';
import { actor, APPROVE, ask, hang, makeWorld, quietLogs, storedWhen, USERS, type World } from '../../support/flowWorld';

function world(notice: Partial<NonNullable<World['config']['ownerNotice']>> = {}) {
  const w = makeWorld({
    config: { ownerNotice: { enabled: true, revokeSessionsOnDispute: false, publicBaseUrl: () => 'https://tap.contoso.com', ...notice } },
  });
  const told: Array<[TapRequest, OwnerNoticeLinks]> = [];
  w.notifier.notifyOwner = sinon.fake(async (r: TapRequest, l: OwnerNoticeLinks) => {
    told.push([r, l]);
  });
  const megan = w.graph.directory.users.find((u) => u.id === USERS.megan.id)!;
  megan.otherMails = ['megan.bowen@outlook.com'];
  return { w, told };
}

async function issued(w: World): Promise<TapRequest> {
  const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
  return w.flow.decide(actor('nestor'), request.id, APPROVE);
}

describe('the account owner is told of every pass', () => {
  quietLogs();

  it('after delivery the owner gets a Teams notice with a one-time dispute link and the guide, and never the code', async () => {
    const { w, told } = world();
    const pass = await issued(w);
    assert.equal(told.length, 1);
    const [request, links] = told[0]!;
    assert.equal(request.id, pass.id);
    assert.match(links.disputeUrl ?? '', /^https:\/\/tap\.contoso\.com\/dispute\/[A-Za-z0-9_-]{32}$/);
    assert.equal(links.guideUrl, 'https://tap.contoso.com/guide/recovery/en');
    const stored = w.storage.writes.join('\n');
    assert.ok(!stored.includes(links.disputeUrl!.split('/').pop()!), 'only the hash of the link token is stored');
    for (const code of w.graph.issuedCodes) assert.ok(!JSON.stringify(told).includes(code));
    assert.equal(w.audit.events.find((e) => e.action === 'owner.notified')?.outcome, 'ok');
  });

  it('with a sender mailbox the owner also gets a mail at their alternate address: who asked, who approved and how, until when', async () => {
    const { w } = world({ mailFrom: 'tap-notices@contoso.com' });
    await issued(w);
    const mail = w.graph.sentMail.at(-1)!;
    assert.equal(mail.from, 'tap-notices@contoso.com');
    assert.equal(mail.to, 'megan.bowen@outlook.com');
    assert.match(mail.text, /at the request of Adele Vance \(helpdesk\), approved by Nestor Wilke \(who confirmed it was you by a video call\)/);
    assert.match(mail.text, /If this was NOT you, open this link straight away: https:\/\/tap\.contoso\.com\/dispute\//);
    for (const code of w.graph.issuedCodes) assert.ok(!mail.text.includes(code), 'the mail never holds the code');
  });

  it('an owner whose Entra preferred language is Danish gets the mail in Danish, with its times in the organisation\'s zone', async () => {
    const { w } = world({ mailFrom: 'tap-notices@contoso.com' });
    w.config.orgTimeZone = 'Europe/Copenhagen';
    w.graph.directory.users.find((u) => u.id === USERS.lasse.id)!.otherMails = ['lasse@outlook.dk'];
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.lasse.upn));
    await w.flow.decide(actor('nestor'), request.id, APPROVE);
    const mail = w.graph.sentMail.at(-1)!;
    assert.equal(mail.to, 'lasse@outlook.dk');
    assert.equal(mail.subject, 'Der er udstedt en midlertidig adgangskode til din konto');
    assert.match(mail.text, /blev udstedt en midlertidig adgangskode til din konto .* tir(s)?\. 1\. jan\. 2030 kl\. 09\.00 \(Europe\/Copenhagen\) efter anmodning fra Adele Vance \(helpdesk\), godkendt af Nestor Wilke \(som bekræftede, at det var dig, via et videoopkald\)/);
    assert.match(mail.text, /Hvis det IKKE var dig, så åbn dette link med det samme: https:\/\/tap\.contoso\.com\/dispute\//);
    assert.doesNotMatch(mail.text, /UTC|undefined/);
  });

  it('a failing notice never undoes the pass: it is logged and audited as partial', async () => {
    const { w } = world();
    w.notifier.notifyOwner = sinon.fake.rejects(new Error('Teams down'));
    const pass = await issued(w);
    assert.equal(pass.state, 'Issued');
    assert.equal(w.audit.events.find((e) => e.action === 'owner.notified')?.outcome, 'partial');
  });

  it('OWNER_NOTICE=false tells nobody', async () => {
    const { w, told } = world({ enabled: false });
    await issued(w);
    assert.equal(told.length, 0);
  });
});

describe('"This wasn\'t me"', () => {
  quietLogs();

  it('from Teams: the pass is deleted at once, the request marked suspicious, security alerted, sessions revoked when configured', async () => {
    const { w } = world({ revokeSessionsOnDispute: true });
    const alert = sinon.fake(async () => undefined);
    w.notifier.reportSuspicious = alert;
    const pass = await issued(w);
    const stopped = await w.flow.disputeAsOwner(actor('megan'), pass.id);
    assert.ok(stopped.revocation);
    assert.equal(stopped.suspicious?.by.id, USERS.megan.id);
    assert.equal(w.graph.directory.taps[USERS.megan.id]?.length, 0);
    assert.deepEqual(w.graph.revokedSessions, [USERS.megan.id]);
    assert.equal(alert.callCount, 1);
    assert.ok(w.audit.actions().includes('request.disputed'));
  });

  it('only the person the pass is for can say it was not them', async () => {
    const { w } = world();
    const pass = await issued(w);
    await assert.rejects(w.flow.disputeAsOwner(actor('adele'), pass.id), (e: unknown) => e instanceof FlowError && e.code === 'notParty');
    assert.equal(w.graph.directory.taps[USERS.megan.id]?.length, 1);
  });

  it('the mail link works once, needs no sign-in, and a made-up or reused token does nothing', async () => {
    const { w, told } = world();
    await issued(w);
    const token = told[0]![1].disputeUrl!.split('/').pop()!;
    assert.deepEqual(await w.flow.disputeByLink('x'.repeat(32)), { outcome: 'unknown' });
    const first = await w.flow.disputeByLink(token);
    assert.equal(first.outcome, 'stopped');
    assert.equal(w.graph.directory.taps[USERS.megan.id]?.length, 0);
    assert.deepEqual(await w.flow.disputeByLink(token), { outcome: 'used' });
  });

  it('a link used at the same moment twice stops the pass once', async () => {
    const { w, told } = world();
    await issued(w);
    const token = told[0]![1].disputeUrl!.split('/').pop()!;
    const outcomes = (await Promise.all([w.flow.disputeByLink(token), w.flow.disputeByLink(token)])).map((o) => o.outcome).sort();
    assert.deepEqual(outcomes, ['stopped', 'used']);
  });

  it('a link older than a week after the pass expired no longer works', async () => {
    const { w, told } = world();
    await issued(w);
    const token = told[0]![1].disputeUrl!.split('/').pop()!;
    w.advanceMinutes(8 * 24 * 60 + 60);
    assert.deepEqual(await w.flow.disputeByLink(token), { outcome: 'expired' });
  });
});

describe('an owner never told because the bot died right after delivery', () => {
  quietLogs();

  it('is told by the sweep after a grace period, once; an owner already told is not told twice', async () => {
    const { w, told } = world();
    const pass = await issued(w);
    const other = await w.flow.startRequest(actor('adele'), ask(USERS.lasse.upn)).then((r) => w.flow.decide(actor('nestor'), r.id, APPROVE));
    assert.equal(told.length, 2);
    // What a crash between delivery and the notice leaves for Megan's pass: no record of it.
    await w.storage.delete([`owner-told/${pass.id}`]);
    told.length = 0;
    w.advanceMinutes(1);
    await w.restart().sweep();
    assert.equal(told.length, 0, 'not within the grace period (the first instance may still be telling)');
    w.advanceMinutes(2);
    const restarted = w.restart();
    await restarted.sweep();
    assert.deepEqual(told.map(([r]) => r.id), [pass.id], 'only the owner who was never told');
    assert.match(told[0]![1].disputeUrl ?? '', /\/dispute\//);
    await restarted.sweep();
    assert.equal(told.length, 1, 'told once');
    void other;
  });
});

describe('an owner is told only of passes that were handed out, and told again when recovery deletes one', () => {
  quietLogs();
  afterEach(() => sinon.restore());

  /** The process dies with the pass card on its way: the pass exists, its request stays in Issuing. */
  async function interrupted(w: World): Promise<TapRequest> {
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    (w.notifier as { deliverPass: unknown }).deliverPass = sinon.fake(hang);
    void w.flow.decide(actor('nestor'), request.id, APPROVE);
    return storedWhen(w, request.id, (r) => r.state === 'Issuing' && !!r.issued);
  }

  it('a pass whose issuance was interrupted is never announced to its owner, before or after recovery deletes it', async () => {
    const { w, told } = world();
    const tell = sinon.fake(async () => undefined);
    w.notifier.tell = tell;
    const stuck = await interrupted(w);
    w.advanceMinutes(3);
    await w.restart().sweep();
    assert.equal((await w.stored(stuck.id))?.state, 'Issuing', 'past the owner grace, not yet taken for interrupted');
    assert.equal(told.length, 0, 'no "a pass was issued for your account" for a pass nobody was handed');

    w.advanceMinutes(10);
    await w.restart().sweep();
    assert.equal((await w.stored(stuck.id))?.state, 'Failed');
    assert.deepEqual(w.graph.directory.taps[USERS.megan.id], []);
    assert.equal(told.length, 0);
    assert.equal(tell.callCount, 0, 'nothing to take back');
  });

  it('a revoked pass is not announced late either', async () => {
    const { w, told } = world();
    const pass = await issued(w);
    await w.flow.revoke(actor('adele'), pass.id, 'wrong person');
    await w.storage.delete([`owner-told/${pass.id}`]);
    told.length = 0;
    w.advanceMinutes(5);
    await w.restart().sweep();
    assert.equal(told.length, 0);
  });

  it('an owner who was told of a pass that recovery then deletes is told it was deleted, once, on the notice\'s channels, without the code', async () => {
    const { w, told } = world({ mailFrom: 'tap-notices@contoso.com' });
    const tell = sinon.fake(async (_userId: string, _message: string) => undefined);
    // Read as the Teams edge reads a sentence: in the reader's language (English here).
    w.notifier.tell = (userId, message) => tell(userId, typeof message === 'string' ? message : message(catalogue('en')));
    const stuck = await interrupted(w);
    // Told all the same (an instance of an older release on the same store announced passes still in Issuing).
    await w.storage.write({ [`owner-told/${stuck.id}`]: { at: w.clock.now.toISOString() } });
    const mailsBefore = w.graph.sentMail.length;

    w.advanceMinutes(10);
    await Promise.all([w.restart().sweep(), w.restart().sweep()]);
    await w.restart().sweep();
    assert.equal((await w.stored(stuck.id))?.state, 'Failed');
    assert.equal(told.length, 0, 'no second "issued" notice');
    assert.equal(tell.callCount, 1, 'told once, whichever instance recovered it');
    const [userId, message] = tell.firstCall.args;
    assert.equal(userId, USERS.megan.id);
    assert.match(message, /^The Temporary Access Pass issued for your account megan@contoso\.com on Tue 1 Jan 2030, 08:00 UTC \(asked by Adele Vance, helpdesk\) was deleted on Tue 1 Jan 2030, 08:10 UTC: the bot stopped while handing it over, so to be safe nobody may use it\. It no longer works\./);
    const mail = w.graph.sentMail.slice(mailsBefore);
    assert.equal(mail.length, 1);
    assert.equal(mail[0]?.to, 'megan.bowen@outlook.com');
    assert.equal(mail[0]?.text, message);
    for (const code of w.graph.issuedCodes) assert.ok(!message.includes(code));
    const audit = w.audit.events.filter((e) => e.action === 'owner.notified');
    assert.deepEqual(audit.map((e) => [e.outcome, e.details?.['notice']]), [['ok', 'passDeleted']]);
  });

  it('an owner who was never told is not told of the deletion either', async () => {
    const { w } = world();
    const tell = sinon.fake(async () => undefined);
    w.notifier.tell = tell;
    await interrupted(w);
    w.advanceMinutes(10);
    await w.restart().sweep();
    assert.equal(tell.callCount, 0);
  });
});
