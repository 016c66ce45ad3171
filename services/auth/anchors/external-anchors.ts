import type { Knex } from 'knex';
import type { Logger } from '../../../shared/logging/index.js';
import { verifyCrlIssuedBy } from '../../../shared/x509/index.js';
import type { ExternalAnchor } from '../verification/trust-store.js';
import { parsedAnchor } from './anchor-record.js';
import { listAnchors } from './anchor-store.js';

/**
 * The active trust anchors as the trust store holds them: certificate and CRL parsed, the CRL
 * checked once more against the anchor's key (a CRL that fails is dropped: revocation_unknown).
 */
export async function loadExternalAnchors(knex: Knex, logger: Logger): Promise<ExternalAnchor[]> {
  const anchors: ExternalAnchor[] = [];
  for (const record of await listAnchors(knex, { activeOnly: true })) {
    try {
      const { certificate, crl } = parsedAnchor(record);
      let checked = crl;
      if (crl) {
        try {
          verifyCrlIssuedBy(crl, certificate);
        } catch {
          logger.error({ anchor: record.name }, 'a stored trust anchor CRL does not verify; ignoring it');
          checked = undefined;
        }
      }
      anchors.push({ id: record.id, name: record.name, certificate, purposes: new Set(record.purposes), pinPolicyOids: new Set(record.pinPolicyOids), crl: checked });
    } catch (error) {
      logger.error({ anchor: record.name, err: (error as Error).message }, 'a stored trust anchor cannot be parsed; it is not trusted');
    }
  }
  return anchors;
}
