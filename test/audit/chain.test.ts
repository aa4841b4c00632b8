import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { canonicalJson, GENESIS_HASH, hashOf, linkEvent, verifyChain, type ChainedEvent } from '../../src/audit/chain';
import { event } from '../support/auditFixtures';

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

function chainOf(count: number): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  for (let seq = 1; seq <= count; seq++) events.push(linkEvent(event(seq), seq, events[seq - 2]?.hash ?? GENESIS_HASH));
  return events;
}

describe('the audit hash chain', () => {
  describe('canonical form and hash', () => {
    it('the hash is SHA-256 of sorted-key JSON of the whole event, seq and previous hash included', () => {
      const linked = linkEvent(
        { at: '2025-01-01T09:01:00.000Z', action: 'tap.issued', actorId: 'manager-1', outcome: 'ok', details: { b: 1, a: ['y', 'x'], c: null, d: true } },
        7,
        'ab'.repeat(32),
      );
      const canonical =
        '{"action":"tap.issued","actorId":"manager-1","at":"2025-01-01T09:01:00.000Z","details":{"a":["y","x"],"b":1,"c":null,"d":true},' +
        `"outcome":"ok","prevHash":"${'ab'.repeat(32)}","seq":7}`;
      assert.equal(linked.hash, sha256(canonical));
    });

    it('keys sort by UTF-16 code unit, undefined values are left out, numbers and strings are written as JSON writes them', () => {
      assert.equal(canonicalJson({ é: 1, z: 2, A: 3, gone: undefined }), '{"A":3,"z":2,"é":1}');
      assert.equal(canonicalJson([1e21, 0.1, -0, 'a"\n', undefined, [true, null]]), '[1e+21,0.1,0,"a\\"\\n",null,[true,null]]');
      assert.throws(() => canonicalJson({ n: Number.NaN }), TypeError);
    });

    it('the stored hash field is not part of what is hashed', () => {
      const [first] = chainOf(1);
      assert.equal(hashOf({ ...first!, hash: 'anything' }), first!.hash);
    });
  });

  describe('verifyChain', () => {
    const intact = (events: unknown[], head: unknown, eventsBeforeChain = 0) => verifyChain({ events, head, eventsBeforeChain });

    it('an empty store is an intact chain of 0 events', () => {
      assert.deepEqual(intact([], undefined), { intact: true, message: 'audit chain intact: 0 events', notes: [] });
    });

    it('an untouched chain is intact and the report gives its last hash to keep elsewhere', () => {
      const events = chainOf(3);
      const report = intact(events, { seq: 3, hash: events[2]!.hash });
      assert.equal(report.intact, true);
      assert.equal(report.message, `audit chain intact: 3 events, from ${event(1).at} to ${event(3).at}`);
      assert.deepEqual(report.notes, [`last hash: ${events[2]!.hash} (event #3)`]);
    });

    it('events from before the chain started are mentioned, not an error', () => {
      const events = chainOf(1);
      const report = intact(events, { seq: 1, hash: events[0]!.hash }, 4);
      assert.equal(report.intact, true);
      assert.equal(report.notes[0], '4 older events are from before the chain started (not hash-linked)');
    });

    it('a first event whose previous hash is not the start of the chain is out of order', () => {
      const forged = linkEvent(event(1), 1, 'f'.repeat(64));
      const report = intact([forged], { seq: 1, hash: forged.hash });
      assert.equal(report.message, 'event #1 is out of order: its previous-hash is not the start of the chain');
    });

    it('one event past the head (a writer stopped between its two writes) is intact, with a note', () => {
      const events = chainOf(3);
      const report = intact(events, { seq: 2, hash: events[1]!.hash });
      assert.equal(report.intact, true);
      assert.ok(report.notes.some((n) => n.startsWith('event #3 is stored but the chain head not yet moved to it')));
    });

    it('two events past the head is a broken chain: a stopped writer leaves at most one', () => {
      const events = chainOf(3);
      assert.deepEqual(intact(events, { seq: 1, hash: events[0]!.hash }).message, 'the chain head says 1 events but 3 exist');
      assert.equal(intact(events, undefined).message, 'the chain head is missing but 3 events exist');
    });

    it('a head that is not a seq and a hash is reported as unreadable', () => {
      const report = intact(chainOf(1), { seq: 'one' });
      assert.deepEqual([report.intact, report.message], [false, 'the chain head is unreadable']);
    });

    it('an event that links to its predecessor but says it is another number is out of order', () => {
      const events: unknown[] = chainOf(1);
      events[1] = linkEvent(event(2), 5, (events[0] as ChainedEvent).hash);
      assert.equal(intact(events, undefined).message, 'event #2 is out of order: it says it is event #5');
    });

    it('an event that was replaced by something not an event is reported as changed', () => {
      const events: unknown[] = chainOf(2);
      events[1] = { note: 'gone' };
      assert.equal(intact(events, { seq: 2, hash: 'x' }).message, 'event #2 was changed: its hash does not match');
    });
  });
});
