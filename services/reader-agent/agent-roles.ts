/** What the agent stands beside (`--role`), and the purpose it asks for unless told otherwise (`--purpose`). */
export const AGENT_ROLES = {
  door: 'door.open',
  printer: 'print.release',
  till: 'till.purchase',
  workstation: 'logon.workstation',
  kiosk: 'identity.verify',
  register: 'registration.mark',
  desk: 'identity.verify',
} as const;

export type AgentRole = keyof typeof AGENT_ROLES;

export function isAgentRole(value: string): value is AgentRole {
  return Object.hasOwn(AGENT_ROLES, value);
}
