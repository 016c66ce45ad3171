/**
 * How sure the platform is that the cardholder is present. The key slot decides it, never the
 * reader's word (ARCHITECTURE.md): the Card Authentication key (PIV slot 9E, no PIN) proves the
 * card is there; the PIV Authentication key (slot 9A, which the card only uses after a correct
 * PIN) proves the card and its PIN (SP 800-73-4 Part 1 §3.2; SP 800-116 PKI-CAK / PKI-AUTH).
 */
export const ASSURANCES = ['card', 'card+pin'] as const;
export type Assurance = (typeof ASSURANCES)[number];

const RANK: Readonly<Record<Assurance, number>> = { card: 1, 'card+pin': 2 };

export function meetsAssurance(actual: Assurance, required: Assurance): boolean {
  return RANK[actual] >= RANK[required];
}

export function isAssurance(value: unknown): value is Assurance {
  return value === 'card' || value === 'card+pin';
}
