/**
 * YubiKey PIV extensions that libykpiv 2.2.0 sends (digest §6): GET VERSION, GET SERIAL,
 * SET MANAGEMENT KEY, RESET, SET PIN RETRIES. Behaviour follows Yubico's PIV documentation.
 */
import { SW, toHex, type CommandApdu } from '../../shared/apdu/index.js';
import type { AppletResponse } from '../runtime/applet.js';
import { FACTORY_PIN, FACTORY_PUK, referenceDataOf, resetToFactory } from '../store/factory-defaults.js';
import { managementAlgorithmOfId, MANAGEMENT_CIPHERS } from './management-key.js';
import { KEY_REF } from './piv-constants.js';
import type { PivContext } from './piv-context.js';

const SET_MGMT_P1 = 0xff;
const SET_MGMT_P2_NO_TOUCH = 0xff;
const SET_MGMT_P2_TOUCH = 0xfe;
/** 63Cx can only report 15 tries. */
const MAX_RETRIES = 15;

export function getVersion(ctx: PivContext): AppletResponse {
  return { data: Uint8Array.from(ctx.state.version), sw: SW.OK };
}

/** GET SERIAL: 4 bytes big-endian (libykpiv reads it when the version's major is 5 or more). */
export function getSerial(ctx: PivContext): AppletResponse {
  const serial = ctx.state.serial >>> 0;
  return { data: Uint8Array.of(serial >>> 24, (serial >>> 16) & 0xff, (serial >>> 8) & 0xff, serial & 0xff), sw: SW.OK };
}

/** `00 FF FF FF|FE Lc <alg> 9B <len> <key>`; the touch flag (P2 FE) is accepted and ignored. */
export function setManagementKey(ctx: PivContext, command: CommandApdu): AppletResponse {
  if (command.p1 !== SET_MGMT_P1 || (command.p2 !== SET_MGMT_P2_NO_TOUCH && command.p2 !== SET_MGMT_P2_TOUCH)) return { sw: SW.INCORRECT_P1P2 };
  if (!ctx.security.mgmtAuthenticated) return { sw: SW.SECURITY_NOT_SATISFIED };
  const [algId, keyRef, length] = command.data;
  const alg = algId === undefined ? undefined : managementAlgorithmOfId(algId);
  if (!alg || algId === 0x00 || keyRef !== KEY_REF.CARD_MANAGEMENT) return { sw: SW.WRONG_DATA };
  const key = command.data.subarray(3);
  if (length !== key.length || key.length !== MANAGEMENT_CIPHERS[alg].keyLength) return { sw: SW.WRONG_DATA };
  const saved = ctx.persist((draft) => { draft.managementKey = { alg, key: toHex(key) }; });
  return { sw: saved ? SW.OK : SW.MEMORY_FAILURE };
}

/** RESET: only once both PIN and PUK are blocked, so it cannot be used to bypass them. */
export function resetApplet(ctx: PivContext): AppletResponse {
  if (ctx.state.pin.triesLeft > 0 || ctx.state.puk.triesLeft > 0) return { sw: SW.CONDITIONS_NOT_SATISFIED };
  if (!ctx.persist((draft) => resetToFactory(draft))) return { sw: SW.MEMORY_FAILURE };
  ctx.security.clear();
  return { sw: SW.OK };
}

/** SET PIN RETRIES (P1 PIN tries, P2 PUK tries): needs 9B auth and PIN; resets PIN and PUK to defaults. */
export function setPinRetries(ctx: PivContext, command: CommandApdu): AppletResponse {
  const pinTries = command.p1;
  const pukTries = command.p2;
  if (pinTries < 1 || pinTries > MAX_RETRIES || pukTries < 1 || pukTries > MAX_RETRIES) return { sw: SW.INCORRECT_P1P2 };
  if (!ctx.security.mgmtAuthenticated || !ctx.security.pinVerified) return { sw: SW.SECURITY_NOT_SATISFIED };
  const saved = ctx.persist((draft) => {
    draft.pin = { value: referenceDataOf(FACTORY_PIN), triesLeft: pinTries, maxTries: pinTries };
    draft.puk = { value: referenceDataOf(FACTORY_PUK), triesLeft: pukTries, maxTries: pukTries };
  });
  if (!saved) return { sw: SW.MEMORY_FAILURE };
  ctx.security.pinVerified = false;
  return { sw: SW.OK };
}
