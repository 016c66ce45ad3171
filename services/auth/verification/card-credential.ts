import { meetsAssurance, type Assurance } from '../../../shared/modules/index.js';
import { OID, type CertificateView } from '../../../shared/x509/index.js';
import type { RegisteredPurpose } from '../modules/module-registry.js';
import type { TapReason } from '../taps/tap-reasons.js';
import { CardStatusDirectory, type PlatformCardStatus } from './card-status.js';
import { reasonOfPkiError } from './pki-reasons.js';
import { tapSignatureValid } from './tap-signature.js';
import type { ExternalAnchor, TrustStore } from './trust-store.js';

export interface CredentialInput {
  readonly certificate: CertificateView;
  readonly signature: Uint8Array;
  /** The to-be-signed bytes the platform rebuilt (shared/taps/tap-encoding.ts). */
  readonly tbs: Uint8Array;
  readonly purpose: RegisteredPurpose;
  readonly at: Date;
}

export type VerifiedCredential =
  | { readonly kind: 'platform'; readonly fingerprint: string; readonly assurance: Assurance; readonly status: PlatformCardStatus }
  | { readonly kind: 'external'; readonly fingerprint: string; readonly assurance: Assurance; readonly anchor: ExternalAnchor; readonly certificate: CertificateView };

/** A refusal, with whatever was learnt about the card before it (for the tap record). */
export interface CredentialRefusal {
  readonly reason: TapReason;
  readonly status?: PlatformCardStatus;
  readonly anchorId?: string;
}

export type CredentialVerdict = { readonly ok: true; readonly credential: VerifiedCredential } | ({ readonly ok: false } & CredentialRefusal);

export interface CredentialDependencies {
  readonly trust: TrustStore;
  readonly cards: CardStatusDirectory;
}

const refuse = (reason: TapReason, facts: Omit<CredentialRefusal, 'reason'> = {}): CredentialVerdict => ({ ok: false, reason, ...facts });

/**
 * The card-side checks of one tap, in the order of the ceremony (STYLE.md, after
 * SimpleWebAuthn); every failure is a refusal with its reason, never a thrown error or a
 * silent pass. The challenge checks (fresh, unused, this reader) are the caller's, in the
 * database. Nothing here queries the database once its caches are warm.
 */
export async function verifyCardCredential(input: CredentialInput, deps: CredentialDependencies): Promise<CredentialVerdict> {
  const { certificate, purpose, at } = input;

  // The certificate chains to a trust anchor, every link valid now (and, for another organisation's CA, not on its CRL).
  let issuer;
  try {
    issuer = (await deps.trust.resolve(certificate, at)).issuer;
  } catch (error) {
    return refuse(reasonOfPkiError(error));
  }

  // Another organisation's CA is trusted only for the purposes an admin chose for it.
  if (issuer.kind === 'external' && (!issuer.anchor.purposes.has(purpose.name) || purpose.declaration.allowExternal === false)) {
    return refuse('anchor_not_allowed', { anchorId: issuer.anchor.id });
  }

  // The card's key signed exactly the bytes we rebuilt: our challenge, this reader, purpose, target and payload.
  if (!tapSignatureValid(certificate.publicKey, input.tbs, input.signature)) {
    return refuse('signature_invalid', issuer.kind === 'external' ? { anchorId: issuer.anchor.id } : {});
  }

  if (issuer.kind === 'external') {
    const assurance = externalAssurance(certificate, issuer.anchor);
    // The key used gives the assurance the purpose needs.
    if (!meetsAssurance(assurance, purpose.declaration.minimumAssurance)) return refuse('assurance_insufficient', { anchorId: issuer.anchor.id });
    return { ok: true, credential: { kind: 'external', fingerprint: certificate.fingerprint, assurance, anchor: issuer.anchor, certificate } };
  }

  // The certificate is on a card this platform issued.
  const status = await deps.cards.statusOf(certificate.fingerprint);
  if (!status) return refuse('card_unknown');

  // The card is active now: not revoked, suspended, expired or still being issued; its certificate not revoked on its own; its holder not erased.
  const state = CardStatusDirectory.cardStateAt(status, at);
  const stateReason = ({ revoked: 'card_revoked', expired: 'card_expired', suspended: 'card_suspended', issuing: 'card_not_active', issued: 'card_not_active' } as const)[state as 'revoked'];
  if (stateReason) return refuse(stateReason, { status });
  if (status.certificateStatus === 'on_hold') return refuse('card_suspended', { status });
  if (status.certificateStatus === 'revoked') return refuse('certificate_revoked', { status });
  if (!status.cardholder.active) return refuse('cardholder_inactive', { status });

  // The key slot decides the assurance (9A is PIN-protected on the card, 9E is not), and it meets the purpose's need.
  const assurance: Assurance = status.slot === '9A' ? 'card+pin' : 'card';
  if (!meetsAssurance(assurance, purpose.declaration.minimumAssurance)) return refuse('assurance_insufficient', { status });
  return { ok: true, credential: { kind: 'platform', fingerprint: certificate.fingerprint, assurance, status } };
}

/**
 * Another organisation's card: a Card Authentication certificate (id-PIV-cardAuth) is `card`;
 * one carrying a policy the anchor lists as PIN-protected is `card+pin`; anything else `card`.
 */
function externalAssurance(certificate: CertificateView, anchor: ExternalAnchor): Assurance {
  if (certificate.extensions.extendedKeyUsage?.includes(OID.pivCardAuth)) return 'card';
  return (certificate.extensions.policies ?? []).some((oid) => anchor.pinPolicyOids.has(oid)) ? 'card+pin' : 'card';
}
