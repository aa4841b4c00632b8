import assert from 'node:assert/strict';
import sinon from 'sinon';
import { configureLogging } from '../../src/log';
import { failingFake } from '../support/fakePorts';
import { actor, APPROVE, ask, makeWorld, USERS, type World } from '../support/flowWorld';

const scenarios: Array<[string, (w: World) => void]> = [
  ['an approval, handover and expiry', () => undefined],
  [
    'an approval whose delivery fails',
    (w) => {
      w.notifier.deliverPass = failingFake(new Error('Teams is down'));
    },
  ],
];

describe('secrecy of the TAP value', () => {
  afterEach(() => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  for (const [what, setUp] of scenarios) {
    it(`the TAP value never reaches storage, audit or logs (${what})`, async () => {
      const logLines: string[] = [];
      configureLogging({ level: 'debug', sink: (line) => logLines.push(line) });
      const w = makeWorld();
      setUp(w);

      const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
      const outcome = await w.flow.decide(actor('nestor'), request.id, APPROVE);
      if (outcome.state === 'Issued') {
        await w.flow.markHandedOver(actor('adele'), request.id);
        w.advanceMinutes(120);
        await w.flow.sweep();
      }
      const status = await w.flow.status(actor('adele'));

      assert.equal(w.graph.issuedCodes.length, 1);
      const code = w.graph.issuedCodes[0]!;
      assert.equal(w.notifier.deliverPass.callCount, 1);
      const [deliveredRequest, pass] = w.notifier.deliverPass.firstCall.args;
      assert.equal(pass.temporaryAccessPass, code, 'the code reaches the delivery');

      const elsewhere: Record<string, string[]> = {
        storage: w.storage.writes,
        audit: w.audit.events.map((e) => JSON.stringify(e)),
        logs: logLines,
        'the request handed to deliverPass': [JSON.stringify(deliveredRequest)],
        'other notifications': [w.notifier.requestApproval, w.notifier.requestUpdated, w.notifier.hidePass].flatMap((spy) => spy.getCalls().map((c) => JSON.stringify(c.args))),
        'returned records': [JSON.stringify(outcome), JSON.stringify(status)],
      };
      assert.ok(w.storage.writes.length > 5 && w.audit.events.length >= 3 && logLines.length > 0, 'the capture saw the activity');
      for (const [where, texts] of Object.entries(elsewhere)) {
        assert.ok(!texts.some((t) => t.includes(code)), `the TAP value leaked into ${where}`);
      }
    });
  }
});
