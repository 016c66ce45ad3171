import { isTriesLeft, SW, triesLeftOf } from '../apdu/index.js';
import {
  CardProtocolError,
  ConditionsNotSatisfiedError,
  KeyNotFoundError,
  NotFoundError,
  PinBlockedError,
  PukBlockedError,
  SecurityStatusNotSatisfiedError,
  UnexpectedStatusError,
  UnsupportedCommandError,
  WrongDataError,
  WrongPinError,
  WrongPukError,
  type CardError,
} from './errors.js';

/** Which retry counter a command spends, so 63Cx / 6983 name the right secret. */
export type CredentialReference = 'pin' | 'puk';

/**
 * The typed error for a status word that is not success (names from shared/apdu's SW table).
 * `command` names the instruction for the message ("VERIFY PIN", "GET DATA 5FC105");
 * `reference` tells which counter 63Cx and 6983 are about.
 */
export function errorForStatus(status: number, command: string, reference: CredentialReference = 'pin'): CardError {
  if (isTriesLeft(status)) {
    const tries = triesLeftOf(status);
    return reference === 'puk' ? new WrongPukError(tries, status) : new WrongPinError(tries, status);
  }
  switch (status) {
    case SW.AUTH_BLOCKED:
      return reference === 'puk' ? new PukBlockedError(status) : new PinBlockedError(status);
    case SW.SECURITY_NOT_SATISFIED:
      return new SecurityStatusNotSatisfiedError(command, status);
    case SW.FILE_NOT_FOUND:
      return new NotFoundError(command, status);
    case SW.REFERENCE_NOT_FOUND:
      return new KeyNotFoundError(command, status);
    case SW.WRONG_DATA:
    case SW.INCORRECT_P1P2:
    case SW.WRONG_LENGTH:
      return new WrongDataError(command, status);
    case SW.CONDITIONS_NOT_SATISFIED:
      return new ConditionsNotSatisfiedError(command, status);
    case SW.INS_NOT_SUPPORTED:
    case SW.CLA_NOT_SUPPORTED:
    case SW.FUNCTION_NOT_SUPPORTED:
      return new UnsupportedCommandError(command, status);
    case SW.CHAINING_ERROR:
      return new CardProtocolError(`${command}: the card reports a command chaining error`, status);
    default:
      return new UnexpectedStatusError(command, status);
  }
}
