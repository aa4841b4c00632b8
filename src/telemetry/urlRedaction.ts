/**
 * The HTTP instrumentation writes each request's URL onto its span. Graph URLs name people
 * (`/users/megan@contoso.com`, `$filter=mail eq '…'`), and the dispute link carries a
 * one-time token in its path, so every URL attribute is rewritten as the span starts,
 * before any exporter or live-metrics processor can see it: the query goes, and any path
 * segment that is not a plain word (`users`, `v1.0`, `$batch`, `temporaryAccessPassMethods`)
 * becomes `{id}`. The connector's paths keep their shape (`/v3/conversations/{id}/activities`).
 */

/** The attributes the HTTP instrumentation (old and new semantic conventions) puts a URL or path in. */
const URL_ATTRIBUTES = ['url.full', 'http.url', 'http.target', 'url.path', 'url.query', 'url.original'] as const;

/** Path segments after these are secrets whatever they look like. */
const SECRET_AFTER = new Set(['dispute']);
/** A word, optionally `$`-prefixed (OData system segments), or an API version. */
const PLAIN_SEGMENT = /^(\$?[A-Za-z]+|v\d+(\.\d+)?)$/;

/**
 * A secret path segment wherever it sits in a text: `/dispute/<token>` in an error message,
 * a log field, a storage key; also percent-encoded (`dispute%2F<token>`). The logger runs
 * every string through this, so a raw URL that reaches a log line by some road nobody
 * thought of still does not carry a live link.
 */
const SECRET_IN_TEXT = new RegExp(`(?:(?<![A-Za-z])|(?<=%2F))(${[...SECRET_AFTER].join('|')})((?:/|%2F)+)[^/?#&\\s"'<>\\\\]+`, 'gi');

/** `text` with whatever follows a secret path word (`dispute/…`) replaced by `{id}`. */
export function redactSecretPaths(text: string): string {
  return text.replace(SECRET_IN_TEXT, '$1$2{id}');
}

/** The redacted form of a full URL, a path with or without a query, or a bare query. */
export function redactUrl(value: string): string {
  const cut = value.search(/[?#]/);
  const withoutQuery = cut >= 0 ? value.slice(0, cut) : value;
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(withoutQuery)?.[0] ?? '';
  const path = withoutQuery.slice(origin.length);
  if (path === '' && origin === '') return '';
  const segments = path.split('/');
  // The word before a segment skips empty ones: `/dispute//<token>` is still a token.
  let previous = '';
  const redacted = segments.map((segment) => {
    if (segment === '') return segment;
    const secret = SECRET_AFTER.has(previous.toLowerCase());
    previous = segment;
    if (secret) return '{id}';
    return PLAIN_SEGMENT.test(segment) ? segment : '{id}';
  });
  return origin + redacted.join('/');
}

/** What this processor needs of an SDK span (sdk-trace-base's Span has it). */
export interface StartedSpan {
  readonly attributes: Readonly<Record<string, unknown>>;
  setAttribute(key: string, value: string): unknown;
}

/**
 * A SpanProcessor (structurally: the SDK's type lives in the SDK, which production loads
 * only on demand) that redacts URL attributes when a span starts.
 */
export class UrlRedactingSpanProcessor {
  onStart(span: StartedSpan): void {
    for (const key of URL_ATTRIBUTES) {
      const value = span.attributes[key];
      if (typeof value !== 'string') continue;
      span.setAttribute(key, key === 'url.query' ? '' : redactUrl(value));
    }
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
