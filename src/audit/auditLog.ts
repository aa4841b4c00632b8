/**
 * The audit trail: every decision as an append-only document `audit/<ISO time>/<random>`,
 * plus an index of pages listing those keys in append order, so `recent()` works on any
 * DurableStorage (blob storage cannot list keys cheaply). Index pages are changed only
 * through updateItem (ETag compare-and-swap), so concurrent bot instances lose no entry.
 * Each event is also written as one structured log line (logger 'audit').
 */
import { randomBytes } from 'node:crypto';
import { createLogger } from '../log';
import { updateItem } from '../storage/casUpdate';
import { ETAG_CREATE_ONLY, type DurableStorage } from '../storage/types';
import { findSecret, type SecretDetector } from './secretGuard';
import type { AuditEvent, AuditSink } from './types';

const log = createLogger('audit');

const HEAD_KEY = 'audit-index/head';
const pageKey = (page: number): string => `audit-index/page/${String(page).padStart(8, '0')}`;

interface IndexHead {
  /** The page new entries go to; pages before it are full. */
  page: number;
}

interface IndexPage {
  keys: string[];
}

export interface AuditLogOptions {
  storage: DurableStorage;
  /** Extra check of every string in an event, e.g. "equals the TAP just issued". */
  secretDetector?: SecretDetector;
  /** Keys per index page. Default 200 (a page stays a few KB). */
  pageSize?: number;
}

/** An event was refused because it carries something secret-like. Never holds the value. */
export class AuditRefusedError extends Error {
  readonly code = 'auditRefused';
  constructor(
    readonly action: string,
    readonly field: string,
  ) {
    super(`Audit event "${action}" refused: field "${field}" looks like a secret.`);
    this.name = 'AuditRefusedError';
  }
}

export class AuditLog implements AuditSink {
  private readonly storage: DurableStorage;
  private readonly secretDetector: SecretDetector | undefined;
  private readonly pageSize: number;

  constructor(options: AuditLogOptions) {
    this.storage = options.storage;
    this.secretDetector = options.secretDetector;
    this.pageSize = Math.max(1, options.pageSize ?? 200);
  }

  async record(event: AuditEvent): Promise<void> {
    const field = findSecret(event, this.secretDetector);
    if (field !== undefined) {
      log.warn('audit event refused: it carries a secret-like field', { action: String(event.action), field });
      throw new AuditRefusedError(String(event.action), field);
    }
    const at = new Date(event.at);
    if (Number.isNaN(at.getTime())) throw new TypeError(`Audit event "${event.action}" has an invalid time.`);
    if (![event.action, event.actorId, event.outcome].every((v) => typeof v === 'string' && v !== '')) {
      throw new TypeError('Audit event needs action, actorId and outcome.');
    }
    const stored = copyKnownFields({ ...event, at: at.toISOString() });
    const key = `audit/${stored.at}/${randomBytes(6).toString('hex')}`;

    // The log line comes first: if storage is down, the event still leaves a trace.
    log.info('audit event', { ...stored });
    await this.storage.write({ [key]: { ...stored, eTag: ETAG_CREATE_ONLY } });
    await this.addToIndex(key);
  }

  /** Newest first. */
  async recent(limit: number): Promise<AuditEvent[]> {
    const wanted = Math.max(0, Math.min(Math.floor(limit), 1000));
    if (wanted === 0) return [];
    const head = await this.headPage();
    // The head page may be nearly empty, hence one page more than `wanted` needs.
    const pages: number[] = [];
    for (let p = head; p >= 1 && pages.length < Math.ceil(wanted / this.pageSize) + 1; p--) pages.push(p);
    const keys = (await this.readPages(pages)).sort().reverse().slice(0, wanted);
    return this.readEvents(keys);
  }

  /** Every stored event, oldest first, one JSON document per line (for the admin). */
  async *exportJsonLines(): AsyncGenerator<string> {
    const head = await this.headPage();
    for (let p = 1; p <= head; p++) {
      for (const event of await this.readEvents(await this.readPages([p]))) yield JSON.stringify(event);
    }
  }

  private async addToIndex(key: string): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const head = await this.headPage();
      const added = await updateItem<IndexPage>(
        this.storage,
        pageKey(head),
        (page) => {
          const keys = page?.keys ?? [];
          if (keys.includes(key)) return undefined;
          return keys.length >= this.pageSize ? 'abort' : { keys: [...keys, key] };
        },
        { retries: 20 },
      );
      if (added) return;
      // The page is full (and stays full): move the head on, unless someone already did.
      await updateItem<IndexHead>(this.storage, HEAD_KEY, (h) => ((h?.page ?? 1) === head ? { page: head + 1 } : undefined), {
        retries: 20,
      });
    }
    throw new Error(`Audit index could not take "${key}": too much contention.`);
  }

  private async headPage(): Promise<number> {
    const head = (await this.storage.read([HEAD_KEY]))[HEAD_KEY] as IndexHead | undefined;
    return head?.page ?? 1;
  }

  private async readPages(pages: number[]): Promise<string[]> {
    if (pages.length === 0) return [];
    const items = await this.storage.read(pages.map(pageKey));
    return pages.flatMap((p) => (items[pageKey(p)] as IndexPage | undefined)?.keys ?? []);
  }

  private async readEvents(keys: string[]): Promise<AuditEvent[]> {
    if (keys.length === 0) return [];
    const items = await this.storage.read(keys);
    return keys.filter((k) => items[k]).map((k) => copyKnownFields(items[k] as AuditEvent));
  }
}

/** Only AuditEvent's own fields are stored or returned (and never a storage eTag). */
function copyKnownFields(e: AuditEvent): AuditEvent {
  return {
    at: e.at,
    action: e.action,
    actorId: e.actorId,
    ...(e.actorName !== undefined ? { actorName: e.actorName } : {}),
    ...(e.requestId !== undefined ? { requestId: e.requestId } : {}),
    ...(e.targetId !== undefined ? { targetId: e.targetId } : {}),
    ...(e.targetUpn !== undefined ? { targetUpn: e.targetUpn } : {}),
    outcome: e.outcome,
    ...(e.details !== undefined ? { details: e.details } : {}),
  };
}
