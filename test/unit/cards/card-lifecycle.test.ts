import { expect } from 'chai';
import fc from 'fast-check';
import {
  CARD_STATES,
  IllegalCardTransition,
  REVOCATION_REASONS,
  TERMINAL_STATES,
  allowedActions,
  nextState,
  type CardAction,
  type CardState,
} from '../../../services/identity/cards/card-lifecycle.js';

const expected: Record<CardState, Partial<Record<CardAction['kind'], CardState>>> = {
  issuing: { 'complete-issuance': 'issued' },
  issued: { activate: 'active', revoke: 'revoked', expire: 'expired' },
  active: { suspend: 'suspended', revoke: 'revoked', expire: 'expired' },
  suspended: { resume: 'active', revoke: 'revoked', expire: 'expired' },
  revoked: {},
  expired: {},
};

const actionArb: fc.Arbitrary<CardAction> = fc.oneof(
  fc.constant({ kind: 'complete-issuance' } as const),
  fc.constant({ kind: 'activate' } as const),
  fc.constant({ kind: 'suspend' } as const),
  fc.constant({ kind: 'resume' } as const),
  fc.constant({ kind: 'expire' } as const),
  fc.constantFrom(...REVOCATION_REASONS).map((reason) => ({ kind: 'revoke', reason }) as const),
);

describe('card lifecycle state machine', () => {
  for (const from of CARD_STATES) {
    for (const kind of ['complete-issuance', 'activate', 'suspend', 'resume', 'revoke', 'expire'] as const) {
      const to = expected[from][kind];
      const action = (kind === 'revoke' ? { kind, reason: 'lost' } : { kind }) as CardAction;
      it(`${from} --${kind}--> ${to ?? 'refused'}`, () => {
        if (to) expect(nextState(from, action)).to.equal(to);
        else expect(() => nextState(from, action)).to.throw(IllegalCardTransition);
      });
    }
  }

  it('lists exactly the allowed actions of each state', () => {
    for (const from of CARD_STATES) expect(allowedActions(from).sort()).to.deep.equal(Object.keys(expected[from]).sort());
  });

  it('random sequences of actions never reach an illegal state', () => {
    fc.assert(
      fc.property(fc.array(actionArb, { maxLength: 40 }), (actions) => {
        let state: CardState = 'issuing';
        let everUsable = false;
        for (const action of actions) {
          const before = state;
          try {
            state = nextState(state, action);
          } catch (error) {
            expect(error).to.be.instanceOf(IllegalCardTransition);
            expect(state).to.equal(before);
            continue;
          }
          expect(CARD_STATES).to.include(state);
          // Terminal states never change; issuing is only ever the first state.
          expect(TERMINAL_STATES).not.to.include(before);
          expect(state).not.to.equal('issuing');
          // A card becomes usable only through activation or resumption.
          if (state === 'active') expect(['activate', 'resume']).to.include(action.kind);
          if (state === 'active') everUsable = true;
          // Suspended only comes from active.
          if (state === 'suspended') expect(before).to.equal('active');
        }
        if (everUsable) expect(['issued', 'issuing']).not.to.include(state);
      }),
      { numRuns: 500 },
    );
  });
});
