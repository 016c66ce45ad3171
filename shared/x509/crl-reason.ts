/** CRLReason (RFC 5280 §5.3.1) names and their ENUMERATED codes; 7 is unused by the RFC. */
export const CRL_REASON_CODES = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;

export type CrlReason = keyof typeof CRL_REASON_CODES;

export const CRL_REASONS = Object.keys(CRL_REASON_CODES) as CrlReason[];

export function crlReasonOfCode(code: number | undefined): CrlReason {
  if (code === undefined) return 'unspecified';
  const found = CRL_REASONS.find((name) => CRL_REASON_CODES[name] === code);
  return found ?? 'unspecified';
}

export function isCrlReason(value: string): value is CrlReason {
  return Object.hasOwn(CRL_REASON_CODES, value);
}
