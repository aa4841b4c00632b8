import assert from 'node:assert/strict';
import { bindRequestId, correlationFields, correlationIdOf, withCorrelation } from '../../src/telemetry/correlation';
import { configureLogging, createLogger, formatHuman, type LogRecord } from '../../src/log';
import { makeAudit } from '../../src/flow/context';
import type { AuditEvent, AuditSink } from '../../src/audit/types';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('correlation: every line and event of one request names it', () => {
  let records: LogRecord[];
  beforeEach(() => {
    records = [];
    configureLogging({ level: 'debug', sink: (_line, record) => records.push(record) });
  });
  afterEach(() => {
    configureLogging({ level: 'info', sink: (line) => process.stdout.write(`${line}\n`) });
  });

  describe('the correlation id of an incoming request', () => {
    it("is the trace id of the caller's traceparent, so the logs meet the caller's traces", () => {
      assert.equal(correlationIdOf({ headers: { traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`, 'x-ms-correlation-id': 'other-id-1234' } }), TRACE_ID);
    });

    it('is x-ms-correlation-id when there is no usable traceparent (an all-zero trace id is invalid)', () => {
      const headers = { traceparent: `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`, 'x-ms-correlation-id': 'c0ffee-1234-abcd' };
      assert.equal(correlationIdOf({ headers }), 'c0ffee-1234-abcd');
    });

    it("is the activity's id when no header names one", () => {
      assert.equal(correlationIdOf({ headers: {}, activityId: 'f:1234567890abcdef' }), 'f:1234567890abcdef');
    });

    it('is a new random id otherwise, and a header that does not look like an id is never taken into the log', () => {
      const injected = 'abc\n{"level":"error","msg":"forged"}';
      const a = correlationIdOf({ headers: { 'x-ms-correlation-id': injected }, activityId: 'short' });
      const b = correlationIdOf({ headers: {} });
      assert.match(a, /^[0-9a-f]{32}$/);
      assert.match(b, /^[0-9a-f]{32}$/);
      assert.notEqual(a, b);
    });
  });

  it('a log line inside a scope carries the correlation id, and the request id once the flow binds it', async () => {
    const log = createLogger('test');
    await withCorrelation(
      async () => {
        log.info('before the request is known');
        bindRequestId('TAP-7K3F9Q');
        await new Promise((resolve) => setTimeout(resolve, 1));
        log.warn('after');
      },
      { correlationId: TRACE_ID },
    );
    log.info('outside any scope');
    assert.deepEqual(
      records.map((r) => [r.msg, r.correlationId, r.requestId]),
      [
        ['before the request is known', TRACE_ID, undefined],
        ['after', TRACE_ID, 'TAP-7K3F9Q'],
        ['outside any scope', undefined, undefined],
      ],
    );
  });

  it('a line that names its own request keeps it: the scope fills in only what is missing', () => {
    withCorrelation(
      () => {
        bindRequestId('TAP-AAAAAA');
        createLogger('test').info('about another request', { requestId: 'TAP-BBBBBB' });
      },
      { correlationId: TRACE_ID },
    );
    assert.equal(records[0]?.requestId, 'TAP-BBBBBB');
    assert.equal(records[0]?.correlationId, TRACE_ID);
  });

  it('work left running after the turn keeps its scope; two turns at once never mix their ids', async () => {
    const log = createLogger('test');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const background: Array<Promise<void>> = [];
    const turn = (id: string, requestId: string): Promise<void> =>
      withCorrelation(
        async () => {
          bindRequestId(requestId);
          // Not awaited by the turn: like a delivery that outlives the HTTP answer.
          background.push(gate.then(() => log.info('background', { turn: id })));
        },
        { correlationId: id },
      );
    await Promise.all([turn('turn-one-0001', 'TAP-111111'), turn('turn-two-0002', 'TAP-222222')]);
    release();
    await Promise.all(background);
    const seen = records.map((r) => [r.turn, r.correlationId, r.requestId]).sort();
    assert.deepEqual(seen, [
      ['turn-one-0001', 'turn-one-0001', 'TAP-111111'],
      ['turn-two-0002', 'turn-two-0002', 'TAP-222222'],
    ]);
  });

  it('withCorrelation without an id (the expiry sweep) gets a fresh one per run', () => {
    const first = withCorrelation(() => correlationFields().correlationId);
    const second = withCorrelation(() => correlationFields().correlationId);
    assert.match(first ?? '', /^[0-9a-f]{32}$/);
    assert.notEqual(first, second);
  });

  it('bindRequestId outside any scope does nothing (unit tests, work that opened none)', () => {
    bindRequestId('TAP-7K3F9Q');
    assert.deepEqual(correlationFields(), {});
  });

  it('the terminal line does not show the correlation id; the JSON line has it', () => {
    withCorrelation(() => createLogger('test').warn('something odd', { reason: 'x' }), { correlationId: TRACE_ID });
    const record = records[0]!;
    assert.equal(record.correlationId, TRACE_ID);
    assert.doesNotMatch(formatHuman(record) ?? '', /correlationId|4bf92f35/);
  });

  describe('audit events (makeAudit)', () => {
    class RecordingSink implements AuditSink {
      events: AuditEvent[] = [];
      async record(event: AuditEvent): Promise<void> {
        this.events.push(event);
      }
      async recent(): Promise<AuditEvent[]> {
        return [];
      }
    }
    const clock = (): Date => new Date('2030-01-02T10:00:00Z');

    it('carry the correlation id and the bound request id of the turn', async () => {
      const sink = new RecordingSink();
      const audit = makeAudit(sink, clock);
      await withCorrelation(
        async () => {
          bindRequestId('TAP-7K3F9Q');
          await audit({ action: 'tap.handedOver', actorId: 'a', outcome: 'ok' });
        },
        { correlationId: TRACE_ID },
      );
      assert.equal(sink.events[0]?.correlationId, TRACE_ID);
      assert.equal(sink.events[0]?.requestId, 'TAP-7K3F9Q');
    });

    it("keep the event's own request id, and add nothing outside a scope", async () => {
      const sink = new RecordingSink();
      const audit = makeAudit(sink, clock);
      await withCorrelation(async () => {
        bindRequestId('TAP-AAAAAA');
        await audit({ action: 'tap.revoked', actorId: 'a', requestId: 'TAP-BBBBBB', outcome: 'ok' });
      });
      await audit({ action: 'tap.revoked', actorId: 'a', outcome: 'ok' });
      assert.equal(sink.events[0]?.requestId, 'TAP-BBBBBB');
      assert.deepEqual(sink.events[1], { at: '2030-01-02T10:00:00.000Z', action: 'tap.revoked', actorId: 'a', outcome: 'ok' });
    });
  });
});
