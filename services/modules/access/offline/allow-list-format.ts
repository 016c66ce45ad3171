import type { AntiPassback, Direction } from '../rules/door-rules.js';
import type { Schedule } from '../rules/schedule.js';

/**
 * The offline allow-list a door controller downloads (docs/modules/access.md, "Offline mode").
 * It travels as a JWS compact serialisation, ES256, header `typ` ALLOW_LIST_TYPE and the `kid`
 * of the module's signing key (JWKS at /v1/access/allow-list/keys); the payload is this object
 * as JSON. Times are ISO 8601 UTC instants; schedule intervals are local wall time in `timeZone`.
 */
export interface AllowList {
  readonly v: 1;
  readonly readerId: string;
  readonly door: { readonly id: string; readonly name: string; readonly zoneId: string; readonly requiresPin: boolean; readonly heldOpenSeconds: number };
  readonly direction: Direction;
  /** Applied offline from the controller's own memory only (it sees no other door's passes). */
  readonly antiPassback: AntiPassback;
  readonly timeZone: string;
  readonly issuedAt: string;
  /** After this the list admits only members of emergency groups (fail closed). */
  readonly expiresAt: string;
  /** Seconds after which a connected controller fetches a new list: the bound on how late a revocation arrives. */
  readonly refreshSeconds: number;
  readonly lockdowns: readonly { readonly scope: 'site' | 'zone'; readonly overrideGroupIds: readonly string[] }[];
  readonly schedules: readonly Schedule[];
  readonly groups: readonly { readonly id: string; readonly scheduleId: string | null; readonly opensZone: boolean; readonly emergency: boolean }[];
  readonly holders: readonly {
    readonly cardholderId: string;
    readonly memberships: readonly { readonly groupId: string; readonly validFrom: string | null; readonly validUntil: string | null }[];
  }[];
  /** The card keys the door accepts: certificate SHA-256 (hex) and its public key (SPKI DER, base64url). */
  readonly credentials: readonly { readonly fingerprint: string; readonly publicKey: string; readonly slot: '9A' | '9E'; readonly cardholderId: string; readonly notAfter: string }[];
  /** Certificates withdrawn (revoked, on hold, card not in use): refused even if cached from an older list. */
  readonly revoked: readonly string[];
}

export const ALLOW_LIST_TYPE = 'tessera-access-allow-list+jws';
export const ALLOW_LIST_ALGORITHM = 'ES256';
