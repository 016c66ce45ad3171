import type { webcrypto } from 'node:crypto';
import type { Knex } from 'knex';
import type { Database } from '../../../shared/db/index.js';
import { TesseraError } from '../../../shared/errors/index.js';
import type { Logger } from '../../../shared/logging/index.js';
import type { SealedBox } from '../../../shared/secrets/index.js';
import { parseCertificate, parseCrl, PEM_CERTIFICATE, PEM_CRL, randomSerial, toPem, type CertificateView, type CrlView } from '../../../shared/x509/index.js';
import { activeAuthorities, insertAuthority, lockHierarchy, retireActiveAuthorities, type Authority } from './authority-store.js';
import { CaKeyRing } from './ca-key-ring.js';
import { importSigningKey } from './ca-keys.js';
import { buildCardCertificate, type CardCertificateRequest } from './card-certificate.js';
import { CARD_PROFILES, type CardCertificateProfile, type CardSlot } from './card-profiles.js';
import {
  countByStatus,
  findIssuedCertificate,
  insertIssuedCertificate,
  issuedCertificatesOfCard,
  markRevoked,
  releaseHold,
  REVOCATION_REASONS,
  type CertificateStatus,
  type IssuedCertificateRecord,
  type RevocationReason,
  type RevocationTarget,
} from './certificate-store.js';
import { CrlPublisher } from './crl-publisher.js';
import { latestCrl, type StoredCrl } from './crl-store.js';
import { generateHierarchy, generateIssuingCa } from './create-hierarchy.js';
import { importedAuthorities, prepareImport, type CaImportInput } from './import-authority.js';

export interface PlatformPkiOptions {
  readonly db: Database;
  readonly secrets: SealedBox;
  readonly now: () => Date;
  /** The organisation named in CA and card subjects (TESSERA_ORG_NAME). */
  readonly organisation: string;
  /** Written into every card certificate's CRL distribution point. */
  readonly crlUrl: string;
  readonly logger?: Logger | undefined;
  readonly crlLifetimeMs?: number;
  readonly crlRefreshMarginMs?: number;
}

export interface IssuedCardCertificate {
  readonly serial: string;
  readonly der: Uint8Array;
  readonly pem: string;
  readonly certificate: CertificateView;
  readonly profile: CardCertificateProfile;
  readonly slot: CardSlot;
  readonly authorityId: string;
}

export interface PublishedCrl extends StoredCrl {
  readonly pem: string;
}

export interface PkiStatus {
  readonly authorities: readonly {
    readonly role: Authority['role'];
    readonly origin: Authority['origin'];
    readonly subject: string;
    readonly serial: string;
    readonly fingerprint: string;
    readonly keyAlgorithm: string;
    readonly notBefore: Date;
    readonly notAfter: Date;
    readonly holdsKey: boolean;
  }[];
  readonly crl: Omit<StoredCrl, 'der' | 'authorityId'> | undefined;
  readonly certificates: Record<CertificateStatus, number>;
}

/**
 * The platform's PKI: its CA hierarchy, card certificates, revocation and the CRL. One per
 * process (see pkiFor); everything it knows lives in the database, so replicas agree.
 */
export class PlatformPki {
  readonly #db: Database;
  readonly #secrets: SealedBox;
  readonly #now: () => Date;
  readonly #organisation: string;
  readonly #logger: Logger | undefined;
  readonly #keys: CaKeyRing;
  readonly #crls: CrlPublisher;
  readonly crlUrl: string;

  constructor(options: PlatformPkiOptions) {
    this.#db = options.db;
    this.#secrets = options.secrets;
    this.#now = options.now;
    this.#organisation = options.organisation;
    this.#logger = options.logger;
    this.#keys = new CaKeyRing(options.secrets);
    this.#crls = new CrlPublisher(options.db, this.#keys, options.now, options.crlLifetimeMs, options.crlRefreshMarginMs);
    this.crlUrl = options.crlUrl;
  }

  /**
   * Creates the root and issuing CA unless they exist, and publishes the first CRL. Safe to call
   * from every process at start: an advisory lock makes the second wait and find the first's CA.
   */
  async ensureHierarchy(): Promise<Authority[]> {
    const existing = await activeAuthorities(this.#db.knex);
    if (existing.some((a) => a.role === 'issuing')) return existing;
    return this.#db.knex.transaction(async (trx) => {
      await lockHierarchy(trx);
      const again = await activeAuthorities(trx);
      if (again.some((a) => a.role === 'issuing')) return again;
      const now = this.#now();
      const root = again.find((a) => a.role === 'root');
      if (root && !root.sealedKey) {
        throw new TesseraError('ERR_PKI_NOT_INITIALISED', 'The imported root has no key here: import an issuing CA with its key');
      }
      const created = root
        ? [await generateIssuingCa({ organisation: this.#organisation, now, secrets: this.#secrets, root: { certificate: root.certificate, key: await this.#signingKey(root), chainPosition: root.chainPosition } })]
        : await generateHierarchy({ organisation: this.#organisation, now, secrets: this.#secrets });
      for (const authority of created) await insertAuthority(trx, authority, now);
      const all = await activeAuthorities(trx);
      await this.#publishIn(trx, requireIssuing(all));
      this.#logger?.info({ authorities: created.map((a) => ({ role: a.role, subject: a.certificate.subject })) }, 'platform CA created');
      return all;
    });
  }

  /**
   * Imports a CA (the council's own) with its key. A self-signed root gets a generated issuing
   * CA under it; an issuing CA is used as it is, with its chain. Refuses to replace an existing
   * hierarchy unless `replace`: replacing retires it, and its card certificates stop verifying.
   */
  async importAuthority(input: CaImportInput, options: { replace?: boolean } = {}): Promise<Authority[]> {
    const now = this.#now();
    const prepared = prepareImport(input, now);
    const rows = importedAuthorities(prepared, this.#secrets);
    return this.#db.knex.transaction(async (trx) => {
      await lockHierarchy(trx);
      const current = await activeAuthorities(trx);
      if (current.length > 0 && !options.replace) {
        throw new TesseraError('ERR_PKI_CA_EXISTS', `A CA already exists (${current.map((a) => a.certificate.subject).join('; ')}); import with --replace to retire it`);
      }
      await retireActiveAuthorities(trx, now);
      for (const row of rows) await insertAuthority(trx, row, now);
      if (prepared.isRoot) {
        const root = rows[0]!;
        const key = await importSigningKey(new Uint8Array(prepared.privateKey.export({ format: 'der', type: 'pkcs8' })));
        const issuing = await generateIssuingCa({ organisation: this.#organisation, now, secrets: this.#secrets, root: { certificate: root.certificate, key, chainPosition: 1 } });
        await insertAuthority(trx, issuing, now);
      }
      const all = await activeAuthorities(trx);
      await this.#publishIn(trx, requireIssuing(all));
      this.#logger?.info({ replaced: current.length > 0, subjects: all.map((a) => a.certificate.subject) }, 'platform CA imported');
      return all;
    });
  }

  /** The active hierarchy, issuing CA first. Inside a transaction pass it (PGlite has one connection). */
  async authorities(q: Knex | Knex.Transaction = this.#db.knex): Promise<Authority[]> {
    return activeAuthorities(q);
  }

  /** The chain relying parties install: issuing CA, any intermediates, root, as PEM. */
  async chainPem(): Promise<string> {
    const chain = await this.authorities();
    if (chain.length === 0) throw new TesseraError('ERR_PKI_NOT_INITIALISED');
    return chain.map((a) => toPem(a.certificate.der, PEM_CERTIFICATE)).join('');
  }

  /** Issues the certificate for one card slot and records it. Pass `trx` to make it part of the card's issuance. */
  async issueCardCertificate(request: CardCertificateRequest, options: { trx?: Knex.Transaction } = {}): Promise<IssuedCardCertificate> {
    const q = options.trx ?? this.#db.knex;
    const now = this.#now();
    const issuing = requireIssuing(await activeAuthorities(q));
    const serial = randomSerial();
    const der = await buildCardCertificate(request, {
      serial,
      organisation: this.#organisation,
      crlUrl: this.crlUrl,
      now,
      issuer: issuing.certificate,
      issuerKey: await this.#signingKey(issuing),
    });
    const certificate = parseCertificate(der);
    const profile = CARD_PROFILES[request.profile];
    await insertIssuedCertificate(
      q,
      {
        serial: certificate.serial,
        authorityId: issuing.id,
        cardId: request.cardId,
        profile: request.profile,
        slot: profile.slot,
        subject: certificate.subject,
        cardholderRef: request.cardholderRef,
        fingerprint: certificate.fingerprint,
        notBefore: certificate.notBefore,
        notAfter: certificate.notAfter,
        issuedAt: now,
      },
      der,
    );
    return { serial: certificate.serial, der, pem: toPem(der, PEM_CERTIFICATE), certificate, profile: request.profile, slot: profile.slot, authorityId: issuing.id };
  }

  /** Revokes (or, with certificateHold, suspends) one certificate and reissues the CRL in `trx`. False if nothing changed. */
  async revokeCertificate(trx: Knex.Transaction, serial: string, reason: RevocationReason): Promise<boolean> {
    if (!(await findIssuedCertificate(trx, serial))) throw new TesseraError('ERR_PKI_CERT_NOT_FOUND', `No certificate with serial ${serial}`);
    return (await this.#changeRevocation(trx, { serial }, reason)).length > 0;
  }

  /** Revokes (or holds) every certificate of a card, for the card lifecycle; returns the serials changed. */
  async revokeCardCertificates(trx: Knex.Transaction, cardId: string, reason: RevocationReason): Promise<string[]> {
    return this.#changeRevocation(trx, { cardId }, reason);
  }

  /** Lifts a suspension: held certificates of the card become active and leave the next CRL. */
  async releaseCardCertificates(trx: Knex.Transaction, cardId: string): Promise<string[]> {
    const released = await releaseHold(trx, { cardId });
    if (released.length > 0) await this.#publishIn(trx, requireIssuing(await activeAuthorities(trx)));
    return released;
  }

  async certificate(serial: string): Promise<IssuedCertificateRecord | undefined> {
    return findIssuedCertificate(this.#db.knex, serial);
  }

  async certificatesOfCard(cardId: string, q: Knex | Knex.Transaction = this.#db.knex): Promise<IssuedCertificateRecord[]> {
    return issuedCertificatesOfCard(q, cardId);
  }

  /** The current CRL, reissued first when missing or within the refresh margin of its nextUpdate. */
  async currentCrl(): Promise<PublishedCrl> {
    return withPem(await this.#crls.current(requireIssuing(await activeAuthorities(this.#db.knex))));
  }

  /** Issues a new CRL now, whatever the state of the last one. */
  async publishCrl(trx?: Knex.Transaction): Promise<PublishedCrl> {
    if (trx) return withPem(await this.#publishIn(trx, requireIssuing(await activeAuthorities(trx))));
    return this.#db.knex.transaction(async (t) => withPem(await this.#publishIn(t, requireIssuing(await activeAuthorities(t)))));
  }

  /**
   * What the platform's own relying parties (the tap path) verify card certificates against:
   * the issuing CA as trust anchor (it is our own CA: its status is known without a root CRL),
   * its current CRL, and the whole chain for display or for relying parties outside.
   * `verifyChain(card, { anchors: [issuing], crls: [crl], revocation: 'require', at })`.
   */
  async trustMaterial(): Promise<{ issuing: CertificateView; chain: CertificateView[]; crl: CrlView }> {
    const chain = await this.authorities();
    const crl = await this.currentCrl();
    return { issuing: requireIssuing(chain).certificate, chain: chain.map((a) => a.certificate), crl: parseCrl(crl.der) };
  }

  async status(): Promise<PkiStatus> {
    const chain = await this.authorities();
    const issuing = chain.find((a) => a.role === 'issuing');
    const crl = issuing ? await latestCrl(this.#db.knex, issuing.id) : undefined;
    return {
      authorities: chain.map((a) => ({
        role: a.role,
        origin: a.origin,
        subject: a.certificate.subject,
        serial: a.certificate.serial,
        fingerprint: a.certificate.fingerprint,
        keyAlgorithm: a.keyAlgorithm,
        notBefore: a.certificate.notBefore,
        notAfter: a.certificate.notAfter,
        holdsKey: a.sealedKey !== undefined,
      })),
      crl: crl ? { crlNumber: crl.crlNumber, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, entryCount: crl.entryCount } : undefined,
      certificates: await countByStatus(this.#db.knex),
    };
  }

  async #changeRevocation(trx: Knex.Transaction, target: RevocationTarget, reason: RevocationReason): Promise<string[]> {
    if (!REVOCATION_REASONS.includes(reason)) throw new TesseraError('ERR_VALIDATION', `Unknown revocation reason ${String(reason)}`);
    const changed = await markRevoked(trx, target, reason, this.#now());
    // The CRL is reissued in the same transaction: the revocation and its publication commit together.
    if (changed.length > 0) await this.#publishIn(trx, requireIssuing(await activeAuthorities(trx)));
    return changed;
  }

  #publishIn(trx: Knex.Transaction, issuing: Authority): Promise<StoredCrl> {
    return this.#crls.publish(trx, issuing);
  }

  #signingKey(authority: Authority): Promise<webcrypto.CryptoKey> {
    return this.#keys.signingKey(authority);
  }
}

function requireIssuing(authorities: readonly Authority[]): Authority {
  const issuing = authorities.find((a) => a.role === 'issuing');
  if (!issuing) throw new TesseraError('ERR_PKI_NOT_INITIALISED');
  return issuing;
}

function withPem(crl: StoredCrl): PublishedCrl {
  return { ...crl, pem: toPem(crl.der, PEM_CRL) };
}
