import assert from 'node:assert/strict';
import sinon from 'sinon';
import { ownerNoticeCard } from '../../src/cards/render';
import { SAMPLE_AGENT, SAMPLE_CONTEXT, SAMPLE_MANAGER, SAMPLE_MOBILE, SAMPLE_PASS_CODE, SAMPLE_REQUESTS, SAMPLE_SECOND_APPROVER } from '../support/cardSamples';
import { VERBS } from '../../src/cards/verbs';
import type { TapRequest } from '../../src/flow/types';
import { actionsIn, elementsOfType } from '../support/cardReader';

const issued = SAMPLE_REQUESTS.Issued;
const texts = (card: unknown): string[] => elementsOfType(card, 'TextBlock').map((t) => String(t.text));
const fact = (card: unknown, title: string): string | undefined =>
  elementsOfType(card, 'FactSet').flatMap((f) => f.facts as { title: string; value: string }[]).find((f) => f.title === title)?.value;
const notMe = (card: unknown) => actionsIn(card).filter((a) => a.verb === VERBS.notMe);
const disputedByOwner = (): TapRequest => ({ ...issued, suspicious: { by: issued.target, at: SAMPLE_CONTEXT.now.toISOString(), reason: 'The account owner says they did not ask for this pass (from the Teams notice).' } });

describe('owner notice card (what the account owner sees)', () => {
  afterEach(() => sinon.restore());

  it('tells the owner a pass was issued, who asked and who approved, and offers "This wasn\'t me" with the request id only', () => {
    const card = ownerNoticeCard(issued, {});
    assert.ok(texts(card).includes('A Temporary Access Pass was issued for your account'));
    assert.equal(fact(card, 'Asked by'), `${SAMPLE_AGENT.displayName} (helpdesk)`);
    assert.equal(fact(card, 'Approved by'), `${SAMPLE_MANAGER.displayName} (confirmed it was you on a video call)`);
    const [button] = notMe(card);
    assert.equal(button!.title, "This wasn't me");
    assert.equal(button!.type, 'Action.Execute');
    assert.deepEqual(button!.data, { requestId: issued.id });
  });

  it('writes its times for the client to render once, in the reader\'s zone (never a DATE inside a DATE)', () => {
    const card = ownerNoticeCard(issued, {});
    assert.equal(fact(card, 'Issued'), '{{DATE(2026-11-22T13:04:00Z, SHORT)}} {{TIME(2026-11-22T13:04:00Z)}}');
    assert.equal(fact(card, 'Works until'), '{{DATE(2026-11-22T14:04:00Z, SHORT)}} {{TIME(2026-11-22T14:04:00Z)}}');
    assert.doesNotMatch(JSON.stringify(card), /\{\{DATE\(\{\{/);
  });

  it('names both approvers of a four-eyes pass, and the number on file that was called, so the owner can tell if no call came', () => {
    const both: TapRequest = { ...issued, secondDecision: { by: SAMPLE_SECOND_APPROVER, at: issued.issued!.issuedAt, action: 'approve', attestation: 'knownNumberCall', calledNumber: SAMPLE_MOBILE } };
    assert.equal(
      fact(ownerNoticeCard(both, {}), 'Approved by'),
      `Nestor Wilke (confirmed it was you on a video call) and Joni Sherman (confirmed it was you by calling you on ${SAMPLE_MOBILE} (mobile on file))`,
    );
  });

  it('links the guide when there is one, and never carries the code', () => {
    const card = ownerNoticeCard(issued, { guideUrl: 'https://tap.contoso.com/guide/abc' });
    assert.ok(texts(card).includes('Step-by-step guide: https://tap.contoso.com/guide/abc'));
    assert.ok(!JSON.stringify(card).includes(SAMPLE_PASS_CODE));
    assert.ok(!texts(ownerNoticeCard(issued, {})).some((t) => t.startsWith('Step-by-step guide')));
  });

  it('says "If you did not ask for this" in words in the attention box, in the default text colour', () => {
    const box = elementsOfType(ownerNoticeCard(issued, {}), 'Container').find((c) => c.style === 'attention')!;
    assert.match(texts(box)[0]!, /^If you did not ask for this, press "This wasn't me"\./);
    assert.doesNotMatch(JSON.stringify(ownerNoticeCard(issued, {})), /"color":/);
  });

  it('once the owner said it wasn\'t them: thanks them, says the pass was stopped, and offers no button and no guide', () => {
    const card = ownerNoticeCard(disputedByOwner(), { guideUrl: 'https://tap.contoso.com/guide/abc' });
    assert.ok(texts(card).includes('Thank you: the pass was stopped'));
    assert.ok(texts(card).some((t) => t.includes('the security team has been told')));
    assert.equal(notMe(card).length, 0);
    assert.ok(fact(card, 'Stopped'));
    assert.equal(fact(card, 'Works until'), undefined);
    assert.ok(!texts(card).some((t) => t.startsWith('Step-by-step guide')));
    assert.equal(elementsOfType(card, 'Container').filter((c) => c.style === 'attention').length, 0, 'nothing left to warn about');
  });

  it('a pass the helpdesk revoked is not "thank you": it says it was stopped and still lets the owner say it wasn\'t them', () => {
    const revoked: TapRequest = { ...issued, revocation: { by: SAMPLE_AGENT, at: SAMPLE_CONTEXT.now.toISOString(), reason: 'Wrong person' } };
    const card = ownerNoticeCard(revoked, {});
    assert.ok(texts(card).includes('The pass for your account was stopped'));
    assert.ok(!texts(card).some((t) => t.startsWith('Thank you')));
    assert.equal(notMe(card).length, 1);
  });
});
