/** `Action.Execute` verbs the bot understands. The card's data carries only `requestId`. */
export const VERBS = {
  submitRequest: 'tap.submit',
  approve: 'tap.approve',
  deny: 'tap.deny',
  cancel: 'tap.cancel',
  handedOver: 'tap.handedOver',
  refresh: 'tap.refresh',
} as const;
export type Verb = (typeof VERBS)[keyof typeof VERBS];
