import assert from 'node:assert/strict';
import { AuditLog } from '../../src/audit/auditLog';
import { configureLogging } from '../../src/log';
import type { DurableStorage } from '../../src/storage/types';
import { event, eventKey, HEAD_KEY, onEveryBackend, overwrite, readItem, type TestStore } from '../support/auditFixtures';

const describeEvent = (n: number): string => `event #${n} (${event(n).at}, tap.issued, req-${n})`;

function tamperContract(newStore: () => TestStore): void {
  let storage: DurableStorage;
  let audit: AuditLog;
  beforeEach(async () => {
    configureLogging({ level: 'silent' });
    storage = newStore().connect();
    audit = new AuditLog({ storage });
    for (let minute = 1; minute <= 6; minute++) await audit.record(event(minute));
  });

  async function expectBroken(message: string): Promise<void> {
    const report = await audit.verify();
    assert.equal(report.message, message);
    assert.equal(report.intact, false);
  }

  it('an untouched chain verifies, and its last hash is the head hash', async () => {
    const report = await audit.verify();
    assert.equal(report.intact, true);
    assert.equal(report.message, `audit chain intact: 6 events, from ${event(1).at} to ${event(6).at}`);
    const head = await readItem(storage, HEAD_KEY);
    assert.ok(report.notes.includes(`last hash: ${String(head?.hash)} (event #6)`));
  });

  it('an edited field of a stored event is reported as a change to that event', async () => {
    const stored = await readItem(storage, eventKey(3));
    await overwrite(storage, eventKey(3), { ...stored, targetUpn: 'someone.else@contoso.com' });
    await expectBroken(`${describeEvent(3)} was changed: its hash does not match`);
  });

  it('an edited previous-hash is a change to that event, not only a broken link', async () => {
    const [second, fourth] = [await readItem(storage, eventKey(2)), await readItem(storage, eventKey(4))];
    await overwrite(storage, eventKey(4), { ...fourth, prevHash: second?.hash });
    await expectBroken(`${describeEvent(4)} was changed: its hash does not match`);
  });

  it('an edited sequence number is a change to that event', async () => {
    const fourth = await readItem(storage, eventKey(4));
    await overwrite(storage, eventKey(4), { ...fourth, seq: 40 });
    await expectBroken(`${describeEvent(4)} was changed: its hash does not match`);
  });

  it('a deleted event is reported missing by its number', async () => {
    await storage.delete([eventKey(2)]);
    await expectBroken('event #2 is missing');
  });

  it('two events whose contents were swapped are reported out of order at the first of them', async () => {
    const [third, fourth] = [await readItem(storage, eventKey(3)), await readItem(storage, eventKey(4))];
    await overwrite(storage, eventKey(3), { ...fourth });
    await overwrite(storage, eventKey(4), { ...third });
    await expectBroken('event #3 is out of order: its previous-hash does not match event #2');
  });

  it('a cut tail is reported against the count the head gives', async () => {
    await storage.delete([eventKey(5), eventKey(6)]);
    await expectBroken('the chain head says 6 events but only 4 exist');
  });

  it('a cut tail with the head count rewritten is caught by the head hash', async () => {
    const head = await readItem(storage, HEAD_KEY);
    await storage.delete([eventKey(5), eventKey(6)]);
    await overwrite(storage, HEAD_KEY, { ...head, seq: 4 });
    await expectBroken("the chain head's hash does not match event #4");
  });
}

describe('Tampering with the stored audit chain', () => {
  afterEach(() => configureLogging({ level: 'info', sink: (line) => process.stdout.write(line + '\n') }));
  onEveryBackend(tamperContract);
});
