import assert from 'node:assert/strict';
import sinon from 'sinon';
import { configureLogging, createLogger, formatHuman, type LogRecord } from '../src/log';
import { AuditLog } from '../src/audit/auditLog';
import { MemoryStorage } from './support/fakePorts';
import { actor, APPROVE, ask, makeWorld, USERS } from './support/flowWorld';

const TAP_VALUE = 'Xy7!kQ2#mP9v';
/** 19:42:03 on the machine's clock, whatever its time zone. */
const AT = new Date(2030, 0, 2, 19, 42, 3).toISOString();
const NAMES = new Map<string, string>([
  [USERS.nestor.id, USERS.nestor.name],
  [USERS.joni.id, USERS.joni.name],
]);
const nameOf = (id: string): string | undefined => NAMES.get(id);

function audit(fields: Record<string, unknown>): LogRecord {
  return {
    t: AT,
    level: 'info',
    logger: 'audit',
    msg: 'audit event',
    at: AT,
    actorId: USERS.adele.id,
    actorName: 'Adele Vance',
    requestId: 'TAP-7K3F9Q',
    targetId: USERS.megan.id,
    targetUpn: 'megan@contoso.com',
    outcome: 'ok',
    ...fields,
  };
}

/** Every record the loggers emit, as formatHuman shows it (undefined ones dropped). */
function captureHumanLines(level: 'debug' | 'info' = 'info'): { human: string[]; json: string[] } {
  const captured = { human: [] as string[], json: [] as string[] };
  configureLogging({
    level,
    sink: (line, record) => {
      captured.json.push(line);
      const text = formatHuman(record, { nameOf });
      if (text !== undefined) captured.human.push(text);
    },
  });
  return captured;
}

describe('log lines for a person at a terminal (formatHuman)', () => {
  afterEach(() => {
    sinon.restore();
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  it('a new request reads as a sentence with the time, the request, the user and who was asked', () => {
    const record = audit({
      action: 'request.created',
      details: { approverKind: 'manager', approverIds: [USERS.nestor.id], lifetimeInMinutes: 60 },
    });
    assert.equal(formatHuman(record, { nameOf }), '19:42:03  request TAP-7K3F9Q for megan@contoso.com: created by Adele Vance → Nestor Wilke (their manager)');
    assert.equal(formatHuman(record), '19:42:03  request TAP-7K3F9Q for megan@contoso.com: created by Adele Vance → their manager', 'without names, the role');
  });

  it('decisions, issuance, delivery and handover each read as one short line', () => {
    const nestor = { actorId: USERS.nestor.id, actorName: 'Nestor Wilke' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ action: 'decision.approved', ...nestor, details: { attestation: 'videoCall', approval: '1 of 1' } }, 'approved by Nestor Wilke (video call)'],
      [{ action: 'decision.approved', ...nestor, details: { attestation: 'inPerson', approval: '1 of 2' } }, 'approved by Nestor Wilke (in person, 1 of 2)'],
      [{ action: 'decision.denied', ...nestor, details: { denyReason: 'not her' } }, 'denied by Nestor Wilke'],
      [{ action: 'tap.issued', ...nestor, details: { methodId: 'm-1', lifetimeInMinutes: 60, isUsableOnce: true } }, 'pass issued (60 min, one-time)'],
      [{ action: 'tap.delivered', details: { recipientKind: 'agent' } }, 'pass delivered to the agent'],
      [{ action: 'tap.handedOver' }, 'pass handed over by Adele Vance'],
      [{ action: 'request.expired', actorId: 'system', actorName: undefined }, 'expired: nobody decided in time'],
      [{ action: 'tap.failed', outcome: 'graphUnavailable' }, 'no pass issued (graph unavailable)'],
      [{ action: 'request.refused', requestId: undefined, outcome: 'targetPrivileged' }, 'refused (target privileged), asked by Adele Vance'],
    ];
    for (const [fields, sentence] of cases) {
      const subject = fields.requestId === undefined && 'requestId' in fields ? 'request for megan@contoso.com' : 'request TAP-7K3F9Q for megan@contoso.com';
      assert.equal(formatHuman(audit(fields), { nameOf }), `19:42:03  ${subject}: ${sentence}`);
    }
  });

  it('someone who is not a helpdesk agent is named, and an unknown audit action still gets a line', () => {
    const refused = audit({ action: 'agent.refused', actorId: USERS.nestor.id, actorName: undefined, requestId: undefined, targetUpn: undefined, outcome: 'notHelpdeskAgent' });
    assert.equal(formatHuman(refused, { nameOf }), '19:42:03  Nestor Wilke is not a helpdesk agent');
    assert.equal(formatHuman(audit({ action: 'tap.teleported' })), '19:42:03  request TAP-7K3F9Q for megan@contoso.com: tap.teleported by Adele Vance');
  });

  it('warnings and errors keep their message and fields, errors as "Name: message", long values cut short', () => {
    const warning: LogRecord = { t: AT, level: 'warn', logger: 'server', msg: 'request rejected', method: 'PUT', status: 405, reason: 'PUT is not allowed' };
    assert.equal(formatHuman(warning), '19:42:03  warning: request rejected  method=PUT status=405 reason="PUT is not allowed"');
    const error: LogRecord = { t: AT, level: 'error', logger: 'bot', msg: 'turn failed', error: new TypeError('boom'), note: 'x'.repeat(200) };
    const line = formatHuman(error) ?? '';
    assert.match(line, /^19:42:03 {2}ERROR: turn failed {2}error="TypeError: boom" note=x{119}…$/, 'a value is cut at 120 characters');
  });

  it('other info and debug lines stay in the JSON log only', () => {
    assert.equal(formatHuman({ t: AT, level: 'info', logger: 'flow', msg: 'request created', requestId: 'TAP-7K3F9Q' }), undefined);
    assert.equal(formatHuman({ t: AT, level: 'debug', logger: 'dev.playground', msg: 'playground output', line: 'Listening on 1' }), undefined);
  });

  it('never shows a TAP value: fields named like secrets are scrubbed, also in records that skipped createLogger', () => {
    const raw: LogRecord = {
      t: AT,
      level: 'warn',
      logger: 'test',
      msg: 'something odd',
      temporaryAccessPass: TAP_VALUE,
      pass: { code: TAP_VALUE, nested: { tap: TAP_VALUE } },
      error: Object.assign(new Error('failed'), { code: 'E1' }),
    };
    const line = formatHuman(raw) ?? '';
    assert.match(line, /something odd/);
    assert.ok(!line.includes(TAP_VALUE), line);
    assert.match(line, /temporaryAccessPass=\[redacted\]/);

    const lines = captureHumanLines();
    createLogger('test').error('through a logger', { details: { password: TAP_VALUE, Authorization: `Bearer ${TAP_VALUE}` } });
    assert.equal(lines.human.length, 1);
    assert.ok(!lines.human[0]!.includes(TAP_VALUE), lines.human[0]);
  });

  it('the TAP value of a whole flow (request, approval, issuance, handover, expiry) never reaches a terminal line', async () => {
    const lines = captureHumanLines('debug');
    const w = makeWorld();
    const request = await w.flow.startRequest(actor('adele'), ask(USERS.megan.upn));
    await w.flow.decide(actor('nestor'), request.id, APPROVE);
    await w.flow.markHandedOver(actor('adele'), request.id);
    w.advanceMinutes(120);
    await w.flow.sweep();
    // The world's audit is a fake: replay its events through the real AuditLog, which logs each one.
    const auditLog = new AuditLog({ storage: new MemoryStorage() });
    for (const event of w.audit.events) await auditLog.record(event);
    const code = w.graph.issuedCodes[0];
    assert.ok(code, 'a pass was issued');
    assert.ok(lines.human.some((l) => /pass issued/.test(l)), `the terminal saw the issuance: ${lines.human.join('\n')}`);
    assert.ok(!lines.human.some((l) => l.includes(code)), 'the TAP value reached the terminal');
  });

  it('the JSON line is unchanged: the sink gets it with the same record', () => {
    const seen: Array<[string, LogRecord]> = [];
    configureLogging({ level: 'info', sink: (line, record) => seen.push([line, record]) });
    createLogger('flow').info('request created', { requestId: 'TAP-7K3F9Q', secret: 's3cret' });
    assert.equal(seen.length, 1);
    const [line, record] = seen[0]!;
    assert.deepEqual(JSON.parse(line), record);
    assert.deepEqual(Object.keys(record), ['t', 'level', 'logger', 'msg', 'requestId', 'secret']);
    assert.equal(record.secret, '[redacted]');
  });
});

describe('a dispute link never reaches a log line', () => {
  const TOKEN = 'Zk3x9QpL2mN8vB4cD6fG1hJ5kR7tW0yA';
  afterEach(() => configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) }));

  it('whatever follows /dispute/ is redacted in the message, in any field at any depth, and in an error message', () => {
    const lines: string[] = [];
    configureLogging({ level: 'debug', sink: (line) => lines.push(line) });
    const log = createLogger('server');
    log.warn(`GET /dispute/${TOKEN} refused`, {
      path: `/dispute/${TOKEN}/`,
      url: `https://tap.contoso.com/dispute/${TOKEN}?utm=1`,
      nested: { list: [`next=%2Fdispute%2F${TOKEN}`] },
      error: new Error(`/dispute/${TOKEN}// does not exist`),
    });
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]!.includes(TOKEN), lines[0]);
    const record = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(record.msg, 'GET /dispute/{id} refused');
    assert.equal(record.path, '/dispute/{id}/');
    assert.deepEqual(record.error, { name: 'Error', message: '/dispute/{id}// does not exist' });
  });

  it('a line for a person at a terminal cannot show one either, even from a record that skipped createLogger', () => {
    const record: LogRecord = { t: AT, level: 'warn', logger: 'server', msg: 'request rejected', path: `/dispute/${TOKEN}`, reason: `/dispute/${TOKEN}/ does not exist` };
    assert.ok(!formatHuman(record)!.includes(TOKEN));
  });
});
