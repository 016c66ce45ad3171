/**
 * Every reason a tap decision can carry (docs/tap-protocol.md lists them with the same words).
 * Every denial for one of these reasons is recorded on the tap and written to the audit chain;
 * `strike` reasons also count against the reader (they point at the reader, not the card:
 * forged, replayed or misdirected answers).
 */
export const TAP_REASONS = {
  ok: { strike: false, means: 'granted' },
  challenge_unknown: { strike: true, means: 'no tap with this id' },
  challenge_wrong_reader: { strike: true, means: 'the challenge was issued to another reader' },
  challenge_replayed: { strike: true, means: 'the challenge was already answered' },
  challenge_expired: { strike: false, means: 'the challenge is older than its time to live' },
  payload_too_large: { strike: false, means: 'the payload is larger than the purpose allows' },
  certificate_malformed: { strike: true, means: 'the certificate cannot be parsed' },
  certificate_unknown: { strike: false, means: 'a certificate reference the platform does not know' },
  certificate_untrusted: { strike: true, means: 'the certificate does not chain to a trust anchor' },
  certificate_expired: { strike: false, means: 'the certificate (or its issuer) has expired' },
  certificate_not_yet_valid: { strike: false, means: 'the certificate is not valid yet' },
  certificate_revoked: { strike: false, means: 'the certificate is revoked' },
  revocation_unknown: { strike: false, means: 'no current revocation list for the certificate issuer' },
  anchor_not_allowed: { strike: false, means: 'the card issuer is trusted, but not for this purpose' },
  signature_invalid: { strike: true, means: 'the signature does not verify over the rebuilt bytes' },
  card_unknown: { strike: true, means: 'the certificate is not on any card of this platform' },
  card_not_active: { strike: false, means: 'the card is not activated yet' },
  card_suspended: { strike: false, means: 'the card is suspended' },
  card_revoked: { strike: false, means: 'the card is revoked' },
  card_expired: { strike: false, means: 'the card has expired' },
  cardholder_inactive: { strike: false, means: 'the cardholder record is erased' },
  assurance_insufficient: { strike: false, means: 'the key slot used gives less assurance than the purpose needs (9E where 9A and a PIN are required)' },
  rate_limited: { strike: false, means: 'this card tapped too often' },
  purpose_unknown: { strike: false, means: 'no module decides this purpose any more' },
  module_disabled: { strike: false, means: 'the module of this purpose is switched off' },
  module_unavailable: { strike: false, means: 'the module failed or ran out of time' },
} as const;

export type TapReason = keyof typeof TAP_REASONS;

/** A platform reason (audited when it denies), as opposed to a module's own. */
export function isPlatformReason(reason: string): reason is TapReason {
  return Object.hasOwn(TAP_REASONS, reason);
}

/** A reason that counts as a strike against the reader (and flags it when they pile up). */
export function isStrikeReason(reason: string): boolean {
  return isPlatformReason(reason) && TAP_REASONS[reason].strike;
}

/** A module's own reason: machine-readable, lower snake case. */
export const MODULE_REASON = /^[a-z][a-z0-9_]{0,63}$/;
