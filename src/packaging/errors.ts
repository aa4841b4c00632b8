/**
 * Why `npm run package` refused, for the admin who ran it. A missing or malformed setting
 * is a ConfigError (src/errors.ts), like everywhere else; these are the package's own.
 */

type PackagingErrorCode = 'manifestInvalid' | 'iconInvalid' | 'packageExists' | 'badArguments';

export class PackagingError extends Error {
  readonly code: PackagingErrorCode;
  readonly problems: string[];
  constructor(code: PackagingErrorCode, summary: string, problems: string[] = []) {
    super(problems.length ? `${summary}\n  - ${problems.join('\n  - ')}` : summary);
    this.code = code;
    this.problems = problems;
    this.name = 'PackagingError';
  }
}
