/**
 * Progress of a run on stderr: "n of N issued, failures, ETA". On a terminal one line is
 * redrawn in place; otherwise (a log file, CI) a line every few seconds. Counts only: a
 * code never reaches this file.
 */
import { countMembers, type BulkRequest } from '../flow/bulk/types';

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  /** Members that may get a pass (the plan's eligible count). */
  eligible: number;
  /** Members refused when the request was made (so later refusals can be told apart). */
  refusedAtRequest: number;
  /** Non-terminal: a line this often. Default 5 s. */
  lineEveryInMs?: number;
  now?: () => number;
}

const REDRAW_MS = 250;

export class Progress {
  private issued = 0;
  private failed = 0;
  private refusedSince = 0;
  private readonly startedAt: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private lastLine = '';

  constructor(
    private readonly out: ProgressOutput,
    private readonly options: ProgressOptions,
  ) {
    this.now = options.now ?? (() => Date.now());
    this.startedAt = this.now();
  }

  start(): void {
    const every = this.out.isTTY ? REDRAW_MS : (this.options.lineEveryInMs ?? 5000);
    this.timer = setInterval(() => this.draw(), every);
    this.timer.unref();
    this.draw();
  }

  /** A page reached the file: these members are issued. */
  pageWritten(rows: number): void {
    this.issued += rows;
  }

  /** The engine's periodic view of the request. */
  update(bulk: BulkRequest): void {
    const c = countMembers(bulk);
    this.issued = Math.max(this.issued, c.issued);
    this.failed = c.failed;
    this.refusedSince = Math.max(0, c.refused - this.options.refusedAtRequest);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.draw(true);
    if (this.out.isTTY) this.out.write('\n');
  }

  line(): string {
    const total = this.options.eligible;
    const done = this.issued + this.failed + this.refusedSince;
    const parts = [`${this.issued} of ${total} issued`];
    if (this.failed > 0) parts.push(`${this.failed} failed`);
    if (this.refusedSince > 0) parts.push(`${this.refusedSince} no longer eligible`);
    const elapsed = this.now() - this.startedAt;
    if (done > 0 && done < total) parts.push(`ETA ${duration((elapsed / done) * (total - done))}`);
    else if (done >= total) parts.push(`done in ${duration(elapsed)}`);
    return parts.join(', ');
  }

  private draw(final = false): void {
    const text = this.line();
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[2K${text}`);
      return;
    }
    // Not a terminal: no repeats of an unchanged line, except the last one.
    if (text !== this.lastLine || final) this.out.write(`${text}\n`);
    this.lastLine = text;
  }
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
