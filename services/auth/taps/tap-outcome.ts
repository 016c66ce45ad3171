import type { Assurance, DisplayField } from '../../../shared/modules/index.js';
import type { VerifiedCredential } from '../verification/card-credential.js';

/** What the reader gets back for an answered tap (docs/tap-protocol.md, "The decision"). */
export interface TapOutcome {
  readonly tapId: string;
  readonly decision: 'granted' | 'denied';
  readonly reason: string;
  readonly purpose: string | null;
  readonly target: string | null;
  readonly assurance: Assurance | null;
  readonly cardholder: Record<string, string> | null;
  readonly display: Readonly<Record<string, string | number | boolean>>;
  readonly token: string;
  readonly tokenExpiresAt: string;
}

export const tapOutcomeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['tapId', 'decision', 'reason', 'token'],
  properties: {
    tapId: { type: 'string' },
    decision: { type: 'string', enum: ['granted', 'denied'] },
    reason: { type: 'string', description: 'machine-readable: ok, a platform reason (docs/tap-protocol.md) or the module\'s own' },
    purpose: { type: ['string', 'null'] },
    target: { type: ['string', 'null'] },
    assurance: { type: ['string', 'null'], enum: ['card', 'card+pin', null] },
    cardholder: {
      type: ['object', 'null'],
      additionalProperties: false,
      description: 'only the fields the purpose lets the reader show, and only when granted',
      properties: { name: { type: 'string' }, reference: { type: 'string' }, kind: { type: 'string' }, orgUnit: { type: 'string' }, organisation: { type: 'string' } },
    },
    display: { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    token: { type: 'string', description: 'ES256 JWT of the decision; keys at /.well-known/jwks.json' },
    tokenExpiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** The cardholder fields a purpose allows, for a credential that was verified. */
export function cardholderDisplay(credential: VerifiedCredential, fields: readonly DisplayField[]): Record<string, string> | null {
  if (fields.length === 0) return null;
  const shown: Record<string, string> = {};
  if (credential.kind === 'external') {
    if (fields.includes('name')) shown.name = credential.certificate.subject;
    shown.organisation = credential.anchor.name;
    return shown;
  }
  const holder = credential.status.cardholder;
  for (const field of fields) {
    if (field === 'name') shown.name = `${holder.givenName} ${holder.familyName}`;
    if (field === 'reference') shown.reference = holder.reference;
    if (field === 'kind') shown.kind = holder.kind;
    if (field === 'orgUnit' && holder.orgUnit) shown.orgUnit = holder.orgUnit;
  }
  return shown;
}
