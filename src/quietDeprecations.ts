/**
 * Imported first by src/index.ts, before anything loads restify. restify 11 pulls in
 * spdy → http-deceiver, which reads process.binding('http_parser') as it loads, and Node
 * prints DeprecationWarning DEP0111 for it (twice) on every start: nothing a person running
 * the bot can act on. Exactly that warning is dropped; every other warning, other
 * deprecations and other uses of process.binding included, still prints.
 */

/** True for DEP0111 about process.binding('http_parser'), however emitWarning was called. */
function isHttpParserDeprecation(warning: unknown, typeOrOptions?: unknown, code?: unknown): boolean {
  const message = warning instanceof Error ? warning.message : String(warning);
  const givenCode =
    typeOrOptions !== null && typeof typeOrOptions === 'object'
      ? (typeOrOptions as { code?: unknown }).code
      : (code ?? (warning instanceof Error ? (warning as { code?: unknown }).code : undefined));
  return givenCode === 'DEP0111' && message.includes("process.binding('http_parser')");
}

const emitWarning = process.emitWarning;
process.emitWarning = function emitWarningExceptHttpParser(this: NodeJS.Process, ...args: unknown[]): void {
  if (isHttpParserDeprecation(args[0], args[1], args[2])) return;
  return Reflect.apply(emitWarning, this, args);
} as typeof process.emitWarning;
