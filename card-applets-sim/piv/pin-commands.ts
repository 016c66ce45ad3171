/** VERIFY, CHANGE REFERENCE DATA, RESET RETRY COUNTER (SP 800-73-4 Part 2 §3.2.1–3.2.3). */
import { swTriesLeft, SW, toHex, type CommandApdu } from '../../shared/apdu/index.js';
import type { AppletResponse } from '../runtime/applet.js';
import type { PivContext } from './piv-context.js';
import { KEY_REF } from './piv-constants.js';
import { checkReference, isValidNewPin, isValidNewPuk, REFERENCE_DATA_LENGTH, type ReferenceCheck, type ReferenceName } from './reference-data.js';

const VERIFY_P1_VERIFY = 0x00;
const VERIFY_P1_RESET_STATUS = 0xff;

function answerFailedCheck(ctx: PivContext, which: ReferenceName, result: Exclude<ReferenceCheck, 'ok'>): AppletResponse {
  switch (result) {
    case 'blocked': return { sw: SW.AUTH_BLOCKED };
    case 'save-failed': return { sw: SW.MEMORY_FAILURE };
    case 'wrong': return { sw: swTriesLeft(ctx.state[which].triesLeft) };
  }
}

export function verify(ctx: PivContext, command: CommandApdu): AppletResponse {
  if (command.p2 !== KEY_REF.PIV_PIN) return { sw: SW.REFERENCE_NOT_FOUND };
  const { security } = ctx;
  if (command.p1 === VERIFY_P1_RESET_STATUS) {
    if (command.data.length !== 0) return { sw: SW.WRONG_DATA };
    security.pinVerified = false;
    return { sw: SW.OK };
  }
  if (command.p1 !== VERIFY_P1_VERIFY) return { sw: SW.INCORRECT_P1P2 };

  // No data: status query, in both the 4-byte and the `...80 00` form (digest G5).
  if (command.data.length === 0) {
    if (ctx.state.pin.triesLeft <= 0) return { sw: SW.AUTH_BLOCKED };
    return { sw: security.pinVerified ? SW.OK : swTriesLeft(ctx.state.pin.triesLeft) };
  }
  if (command.data.length !== REFERENCE_DATA_LENGTH) return { sw: SW.WRONG_DATA };

  const result = checkReference(ctx, 'pin', command.data);
  if (result !== 'ok') {
    security.pinVerified = false;
    return answerFailedCheck(ctx, 'pin', result);
  }
  security.pinVerified = true;
  security.armPinAlways();
  return { sw: SW.OK };
}

export function changeReferenceData(ctx: PivContext, command: CommandApdu): AppletResponse {
  if (command.p1 !== 0x00) return { sw: SW.INCORRECT_P1P2 };
  const which: ReferenceName | undefined = command.p2 === KEY_REF.PIV_PIN ? 'pin' : command.p2 === KEY_REF.PUK ? 'puk' : undefined;
  if (!which) return { sw: SW.REFERENCE_NOT_FOUND };
  if (command.data.length !== 2 * REFERENCE_DATA_LENGTH) return { sw: SW.WRONG_DATA };
  const current = command.data.subarray(0, REFERENCE_DATA_LENGTH);
  const next = command.data.subarray(REFERENCE_DATA_LENGTH);
  if (ctx.state[which].triesLeft <= 0) return { sw: SW.AUTH_BLOCKED };
  if (!(which === 'pin' ? isValidNewPin(next) : isValidNewPuk(next))) return { sw: SW.WRONG_DATA };

  const result = checkReference(ctx, which, current, (draft) => { draft[which].value = toHex(next); });
  if (result !== 'ok') {
    if (which === 'pin') ctx.security.pinVerified = false;
    return answerFailedCheck(ctx, which, result);
  }
  // The old PIN was just proven, so the cardholder is verified (as on a YubiKey).
  if (which === 'pin') ctx.security.pinVerified = true;
  return { sw: SW.OK };
}

export function resetRetryCounter(ctx: PivContext, command: CommandApdu): AppletResponse {
  if (command.p1 !== 0x00) return { sw: SW.INCORRECT_P1P2 };
  if (command.p2 !== KEY_REF.PIV_PIN) return { sw: SW.REFERENCE_NOT_FOUND };
  if (command.data.length !== 2 * REFERENCE_DATA_LENGTH) return { sw: SW.WRONG_DATA };
  const puk = command.data.subarray(0, REFERENCE_DATA_LENGTH);
  const newPin = command.data.subarray(REFERENCE_DATA_LENGTH);
  if (ctx.state.puk.triesLeft <= 0) return { sw: SW.AUTH_BLOCKED };
  if (!isValidNewPin(newPin)) return { sw: SW.WRONG_DATA };

  const result = checkReference(ctx, 'puk', puk, (draft) => {
    draft.pin.value = toHex(newPin);
    draft.pin.triesLeft = draft.pin.maxTries;
  });
  if (result !== 'ok') return answerFailedCheck(ctx, 'puk', result);
  ctx.security.pinVerified = false;
  return { sw: SW.OK };
}
