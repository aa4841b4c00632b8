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

/** The redacted form of a full URL, a path with or without a query, or a bare query. */
export function redactUrl(value: string): string {
  const cut = value.search(/[?#]/);
  const withoutQuery = cut >= 0 ? value.slice(0, cut) : value;
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(withoutQuery)?.[0] ?? '';
  const path = withoutQuery.slice(origin.length);
  if (path === '' && origin === '') return '';
  const segments = path.split('/');
  const redacted = segments.map((segment, i) => {
    if (segment === '') return segment;
    if (i > 0 && SECRET_AFTER.has(segments[i - 1]!.toLowerCase())) return '{id}';
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
