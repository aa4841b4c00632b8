/**
 * Where the command line delivers codes: one CSV file, the seed PowerShell loop's columns
 * plus start and expiry, `;`-separated. The file is new (never an existing one overwritten)
 * and owner-only from its first byte; each page is flushed to disk before the engine marks
 * its members issued, so a crash never leaves an "issued" member whose code is not on disk.
 * The code goes into this file and nowhere else.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { BulkNotifier, BulkPage, BulkPass, BulkRequest } from '../flow/bulk/types';

export const CSV_HEADER = ['UPN', 'DisplayName', 'TemporaryAccessPass', 'StartDateTime', 'ExpiresDateTime'] as const;

/** The file exists already: nothing was written. */
export class OutputExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} exists already; it is never overwritten. Choose another --out, or move the old file away (and delete it once its codes are handed over).`);
    this.name = 'OutputExistsError';
  }
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or tab / carriage return) as a
 * formula: a display name like `=HYPERLINK(...)` would. A leading ' makes it text.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** RFC 4180 quoting with `;` as the separator. */
export function csvField(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per pass. The code is written exactly as Entra made it (it is not directory text). */
export function csvRow(pass: BulkPass): string {
  const { member } = pass;
  return [
    csvField(neutraliseFormula(member.userPrincipalName)),
    csvField(neutraliseFormula(member.displayName)),
    csvField(pass.temporaryAccessPass),
    pass.startDateTime,
    pass.expiresDateTime,
  ].join(';');
}

export class CsvPassFile implements BulkNotifier {
  private rowsWritten = 0;
  private latestExpiry = '';

  private constructor(
    readonly path: string,
    private readonly file: FileHandle,
    private readonly onPage: (page: BulkPage, rows: number) => void,
    private readonly onUpdate: (bulk: BulkRequest) => void,
  ) {}

  /** Creates the file (`wx`, 0600) with its header; throws OutputExistsError when it exists. */
  static async create(path: string, hooks: { onPage?: (page: BulkPage, rows: number) => void; onUpdate?: (bulk: BulkRequest) => void } = {}): Promise<CsvPassFile> {
    let file: FileHandle;
    try {
      file = await open(path, 'wx', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new OutputExistsError(path);
      throw e;
    }
    const csv = new CsvPassFile(path, file, hooks.onPage ?? (() => undefined), hooks.onUpdate ?? (() => undefined));
    await file.writeFile(`${CSV_HEADER.join(';')}\r\n`);
    await file.sync();
    return csv;
  }

  get rows(): number {
    return this.rowsWritten;
  }

  /** The latest expiry of a code in the file (ISO), or '' when none. */
  get expiresBy(): string {
    return this.latestExpiry;
  }

  async deliverBulkPage(_bulk: BulkRequest, page: BulkPage, passes: BulkPass[]): Promise<void> {
    await this.file.writeFile(passes.map((p) => `${csvRow(p)}\r\n`).join(''));
    // On disk before the engine marks these members issued.
    await this.file.sync();
    this.rowsWritten += passes.length;
    for (const p of passes) if (p.expiresDateTime > this.latestExpiry) this.latestExpiry = p.expiresDateTime;
    this.onPage(page, passes.length);
  }

  async requestBulkApproval(): Promise<void> {
    // The admin who runs the command line approves by running it: no card.
  }

  async bulkUpdated(bulk: BulkRequest): Promise<void> {
    this.onUpdate(bulk);
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}
