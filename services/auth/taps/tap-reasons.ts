/**
 * Every reason a tap decision can carry (docs/tap-protocol.md lists them with the same words).
 * `security` reasons are also written to the audit chain and count as strikes against the
 * reader; the others are ordinary outcomes recorded on the tap.
 */
export const TAP_REASONS = {
  ok: { security: false, means: 'granted' },
  challenge_unknown: { security: true, means: 'no tap with this id' },
  challenge_wrong_reader: { security: true, means: 'the challenge was issued to another reader' },
  challenge_replayed: { security: true, means: 'the challenge was already answered' },
  challenge_expired: { security: false, means: 'the challenge is older than its time to live' },
  payload_too_large: { security: false, means: 'the payload is larger than the purpose allows' },
  certificate_malformed: { security: true, means: 'the certificate cannot be parsed' },
  certificate_unknown: { security: false, means: 'a certificate reference the platform does not know' },
  certificate_untrusted: { security: true, means: 'the certificate does not chain to a trust anchor' },
  certificate_expired: { security: false, means: 'the certificate (or its issuer) has expired' },
  certificate_not_yet_valid: { security: false, means: 'the certificate is not valid yet' },
  certificate_revoked: { security: false, means: 'the certificate is revoked' },
  revocation_unknown: { security: false, means: 'no current revocation list for the certificate issuer' },
  anchor_not_allowed: { security: false, means: 'the card issuer is trusted, but not for this purpose' },
  signature_invalid: { security: true, means: 'the signature does not verify over the rebuilt bytes' },
  card_unknown: { security: true, means: 'the certificate is not on any card of this platform' },
  card_not_active: { security: false, means: 'the card is not activated yet' },
  card_suspended: { security: false, means: 'the card is suspended' },
  card_revoked: { security: false, means: 'the card is revoked' },
  card_expired: { security: false, means: 'the card has expired' },
  cardholder_inactive: { security: false, means: 'the cardholder record is erased' },
  assurance_insufficient: { security: false, means: 'the key slot used gives less assurance than the purpose needs (9E where 9A and a PIN are required)' },
  rate_limited: { security: false, means: 'this card tapped too often' },
  purpose_unknown: { security: false, means: 'no module decides this purpose any more' },
  module_disabled: { security: false, means: 'the module of this purpose is switched off' },
  module_unavailable: { security: false, means: 'the module failed or ran out of time' },
} as const;

export type TapReason = keyof typeof TAP_REASONS;

export function isSecurityReason(reason: string): boolean {
  return (TAP_REASONS as Record<string, { security: boolean }>)[reason]?.security === true;
}

/** A module's own reason: machine-readable, lower snake case. */
export const MODULE_REASON = /^[a-z][a-z0-9_]{0,63}$/;
