import type { Database } from '../../../shared/db/index.js';
import type { Logger } from '../../../shared/logging/index.js';
import type { SealedBox } from '../../../shared/secrets/index.js';
import type { ServiceContext } from '../../../shared/service/index.js';
import type { CardCertificateHooks } from '../cards/index.js';
import { cardCertificateHooks, pkiFor, type PlatformPki } from '../pki/index.js';
import type { DeskReaders } from './desk-readers/index.js';

/** Everything issuance and the desk operations reach: the platform's, passed in so tests and the CLI can build it. */
export interface IssuanceDeps {
  readonly db: Database;
  readonly secrets: SealedBox;
  readonly now: () => Date;
  /** TESSERA_TIMEZONE: temporary cards end at midnight here; the CHUID expiry date is a date here. */
  readonly timeZone: string;
  readonly renewalWindowDays: number;
  readonly pki: PlatformPki;
  readonly certificates: CardCertificateHooks;
  readonly deskReaders: DeskReaders;
  readonly logger?: Logger | undefined;
}

export function issuanceDepsFor(ctx: ServiceContext, deskReaders: DeskReaders): IssuanceDeps {
  const pki = pkiFor(ctx);
  return {
    db: ctx.db,
    secrets: ctx.secrets,
    now: ctx.now,
    timeZone: ctx.config.timeZone,
    renewalWindowDays: ctx.config.renewalWindowDays,
    pki,
    certificates: cardCertificateHooks(pki),
    deskReaders,
    logger: ctx.logger,
  };
}
