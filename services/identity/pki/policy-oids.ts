/**
 * Tessera's private certificate policy OIDs. They live under a UUID arc (ITU-T X.667:
 * 2.25.<UUID as an integer>), which anyone may mint without registration and which cannot
 * collide with a registered arc. The UUID is 1c735df7-987f-4ce5-b965-7cef7f3f6ec8.
 * A deployment that has its own arc (a council PEN) may substitute it; relying parties match
 * these OIDs, so change them only with a new CA.
 *
 * Federal PIV uses id-fpki-common-authentication (2.16.840.1.101.3.2.1.3.13) for 9A and
 * id-fpki-common-cardAuth (2.16.840.1.101.3.2.1.3.17) for 9E; Tessera does not assert those,
 * because it does not operate under the Federal Common Policy.
 */
export const TESSERA_ARC = '2.25.37817403901354048456680238027051593416';

export const TESSERA_POLICY = {
  /** PIV Authentication (9A): the card holds the key and enforces the PIN, assurance `card+pin`. */
  pivAuthentication: `${TESSERA_ARC}.1.1`,
  /** Card Authentication (9E): the card holds the key, no PIN, assurance `card`. */
  cardAuthentication: `${TESSERA_ARC}.1.2`,
} as const;
