/**
 * `Action.Execute` verbs the bot understands. The card's data carries only `requestId`;
 * `tap.report` also sends the typed `suspicionReason` (at most NOTE_MAX characters).
 */
export const VERBS = {
  submitRequest: 'tap.submit',
  /** Redraw the request form with a scenario's defaults (what the agent typed is kept). */
  formScenario: 'tap.formScenario',
  approve: 'tap.approve',
  deny: 'tap.deny',
  cancel: 'tap.cancel',
  handedOver: 'tap.handedOver',
  refresh: 'tap.refresh',
  revoke: 'tap.revoke',
  report: 'tap.report',
  /** The account owner, from their notice: "This wasn't me". */
  notMe: 'tap.notMe',
} as const;
export type Verb = (typeof VERBS)[keyof typeof VERBS];
