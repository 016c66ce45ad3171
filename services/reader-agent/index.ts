/**
 * The reader agent (issue 5): the edge client beside a PC/SC or simulated reader that turns
 * each card into a tap (docs/reader-agent.md), and in the desk role relays card commands.
 */
export { ReaderAgent, type AgentEvent, type ReaderAgentOptions } from './reader-agent.js';
export { PlatformClient, PlatformError, PlatformUnreachableError, type Decision, type ReaderSelf, type Challenge } from './platform-client.js';
export { tapCard, algorithmOfCertificate, type TapRequest } from './card-tap.js';
export { DeskRelayClient } from './desk-relay-client.js';
export { AGENT_ROLES, isAgentRole, type AgentRole } from './agent-roles.js';
export { fixedPin, noPinPad, terminalPin, type PinSource } from './pin-source.js';
export { withRetries, backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export { describeEvent } from './describe-event.js';
