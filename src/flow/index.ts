/** The workflow core's public surface for the Teams edge and the wiring in src/index.ts. */
export { TapFlow, type TapFlowOptions } from './tapFlow';
export { toFlowConfig } from './flowConfig';
export { RequestClosedError, InvalidInputError, type InputProblem } from './errors';
export { newRequestId, parseRequestId } from './requestId';
export { isTerminal, TERMINAL_STATES } from './stateMachine';
export { RequestRepository } from './requestRepository';
export * from './types';
