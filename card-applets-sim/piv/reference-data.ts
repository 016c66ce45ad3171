/**
 * PIN and PUK checks with retry counters (SP 800-73-4 Part 2 §3.2.1–3.2.3). The counter is
 * decremented and saved BEFORE comparing, then restored on success, so a crash or a failed save
 * in the middle can never hand out a free try.
 */
import { timingSafeEqual } from 'node:crypto';
import { fromHex } from '../../shared/apdu/index.js';
import type { CardState } from '../store/card-state.js';
import type { PivContext } from './piv-context.js';

export type ReferenceName = 'pin' | 'puk';
export type ReferenceCheck = 'ok' | 'wrong' | 'blocked' | 'save-failed';

export const REFERENCE_DATA_LENGTH = 8;
const PAD = 0xff;

export function checkReference(ctx: PivContext, which: ReferenceName, candidate: Uint8Array, onSuccess?: (draft: CardState) => void): ReferenceCheck {
  const counter = ctx.state[which];
  if (counter.triesLeft <= 0) return 'blocked';
  const decremented = counter.triesLeft - 1;
  if (!ctx.persist((draft) => { draft[which].triesLeft = decremented; })) return 'save-failed';
  const reference = fromHex(ctx.state[which].value);
  if (candidate.length !== reference.length || !timingSafeEqual(candidate, reference)) return 'wrong';
  const restored = ctx.persist((draft) => {
    draft[which].triesLeft = draft[which].maxTries;
    onSuccess?.(draft);
  });
  return restored ? 'ok' : 'save-failed';
}

/** Length of the value before FF padding, or -1 when a non-FF byte follows the padding. */
function unpaddedLength(value: Uint8Array): number {
  const firstPad = value.indexOf(PAD);
  const length = firstPad === -1 ? value.length : firstPad;
  for (let i = length; i < value.length; i++) if (value[i] !== PAD) return -1;
  return length;
}

/** New PIV PIN: 6–8 ASCII digits padded with FF (Part 2 §2.4.3; the tools refuse shorter). */
export function isValidNewPin(value: Uint8Array): boolean {
  if (value.length !== REFERENCE_DATA_LENGTH) return false;
  const length = unpaddedLength(value);
  if (length < 6) return false;
  for (let i = 0; i < length; i++) {
    const b = value[i]!;
    if (b < 0x30 || b > 0x39) return false;
  }
  return true;
}

/** New PUK: 6–8 bytes (any value but FF) padded with FF. */
export function isValidNewPuk(value: Uint8Array): boolean {
  return value.length === REFERENCE_DATA_LENGTH && unpaddedLength(value) >= 6;
}
