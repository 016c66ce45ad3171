/**
 * The card lifecycle as an explicit state machine (issue 4):
 *
 *   issuing ──complete──> issued ──activate──> active ──suspend──> suspended
 *      │                    │                    ^  └────────resume──────┘
 *      └─abandon─> (deleted: never a card)      │
 *   issued | active | suspended ──revoke(reason)──> revoked      (terminal)
 *   issued | active | suspended ──expire──────────> expired      (terminal)
 *
 * `issuing` is the record of an issuance in progress: a card pulled out half way stays there and
 * can never be used; retrying completes it or abandons it. Every change goes through `nextState`,
 * so an illegal change is refused in one place.
 */
export const CARD_STATES = ['issuing', 'issued', 'active', 'suspended', 'revoked', 'expired'] as const;
export type CardState = (typeof CARD_STATES)[number];

export const REVOCATION_REASONS = ['lost', 'stolen', 'damaged', 'left', 'superseded'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export type CardAction =
  | { readonly kind: 'complete-issuance' }
  | { readonly kind: 'activate' }
  | { readonly kind: 'suspend' }
  | { readonly kind: 'resume' }
  | { readonly kind: 'revoke'; readonly reason: RevocationReason }
  | { readonly kind: 'expire' };

export type CardActionKind = CardAction['kind'];

const transitions: Readonly<Record<CardActionKind, Partial<Record<CardState, CardState>>>> = {
  'complete-issuance': { issuing: 'issued' },
  activate: { issued: 'active' },
  suspend: { active: 'suspended' },
  resume: { suspended: 'active' },
  revoke: { issued: 'revoked', active: 'revoked', suspended: 'revoked' },
  expire: { issued: 'expired', active: 'expired', suspended: 'expired' },
};

/** States a card may be used in at a reader. */
export const USABLE_STATES: readonly CardState[] = ['active'];

/** States that hold the cardholder's one card slot (or temporary slot): anything not finished. */
export const LIVE_STATES: readonly CardState[] = ['issuing', 'issued', 'active', 'suspended'];

export const TERMINAL_STATES: readonly CardState[] = ['revoked', 'expired'];

export class IllegalCardTransition extends Error {
  constructor(
    readonly from: CardState,
    readonly action: CardActionKind,
  ) {
    super(`a card that is ${from} cannot ${action.replace('-', ' ')}`);
    this.name = 'IllegalCardTransition';
  }
}

/** The state after `action`, or IllegalCardTransition. Pure: the store applies it atomically. */
export function nextState(from: CardState, action: CardAction): CardState {
  const to = transitions[action.kind][from];
  if (!to) throw new IllegalCardTransition(from, action.kind);
  return to;
}

export function allowedActions(from: CardState): CardActionKind[] {
  return (Object.keys(transitions) as CardActionKind[]).filter((kind) => transitions[kind][from] !== undefined);
}

export function isRevocationReason(value: unknown): value is RevocationReason {
  return typeof value === 'string' && (REVOCATION_REASONS as readonly string[]).includes(value);
}
