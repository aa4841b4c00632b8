/**
 * Shared by the browser tests: CI must prove the flows in a browser, so there a missing
 * Chromium fails the run; a developer without it gets a skip that says how to install it.
 */
import { CHROMIUM_MISSING_MESSAGE, chromiumAvailable } from '../../dev/browser';

export type ChromiumDecision = { action: 'run' } | { action: 'skip' | 'fail'; message: string };

export function decideChromium(options: { ci: boolean; available: boolean }): ChromiumDecision {
  if (options.available) return { action: 'run' };
  return { action: options.ci ? 'fail' : 'skip', message: CHROMIUM_MISSING_MESSAGE };
}

/** Call first in a `before` hook (with `function () {}` so `this` is mocha's context). */
export function requireChromium(
  context: Mocha.Context,
  options = { ci: process.env.CI === 'true', available: chromiumAvailable() },
): void {
  const decision = decideChromium(options);
  if (decision.action === 'fail') throw new Error(decision.message);
  if (decision.action === 'skip') {
    console.warn(`    skipped: ${decision.message}`);
    context.skip();
  }
}
