import type { ServiceContext } from '../../../shared/service/index.js';
import { PlatformPki } from './platform-pki.js';

const instances = new WeakMap<ServiceContext, PlatformPki>();

/** The CRL distribution point written into card certificates: public, under TESSERA_PUBLIC_URL. */
export function crlUrlOf(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/v1/pki/crl`;
}

/**
 * The one PlatformPki of a platform process, shared by the PKI routes, the card lifecycle and
 * issuance, so the unsealed CA key is held once.
 */
export function pkiFor(ctx: ServiceContext): PlatformPki {
  let pki = instances.get(ctx);
  if (!pki) {
    pki = new PlatformPki({
      db: ctx.db,
      secrets: ctx.secrets,
      now: ctx.now,
      organisation: ctx.config.orgName,
      crlUrl: crlUrlOf(ctx.config.publicUrl),
      logger: ctx.logger,
    });
    instances.set(ctx, pki);
  }
  return pki;
}
