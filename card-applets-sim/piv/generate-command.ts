/** GENERATE ASYMMETRIC KEY PAIR (SP 800-73-4 Part 2 §3.3.2; YubiKey AA/AB policy tags). */
import { SW, type CommandApdu } from '../../shared/apdu/index.js';
import { decodeSingleTlv, decodeTlvSequence, findTlv } from '../../shared/tlv/index.js';
import type { AppletResponse } from '../runtime/applet.js';
import { generateStoredKey } from './key-pair.js';
import { ASYMMETRIC_KEY_REFS, keyAlgorithmOfId, slotName } from './piv-constants.js';
import type { PivContext } from './piv-context.js';

const TAG_CONTROL_REFERENCE_TEMPLATE = 0xac;
const TAG_ALGORITHM = 0x80;
const TAG_PIN_POLICY = 0xaa;
const TAG_TOUCH_POLICY = 0xab;

function singleByte(value: Uint8Array | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  return value.length === 1 ? value[0]! : null;
}

export function generateKeyPair(ctx: PivContext, command: CommandApdu): AppletResponse {
  if (command.p1 !== 0x00 || !ASYMMETRIC_KEY_REFS.has(command.p2)) return { sw: SW.INCORRECT_P1P2 };
  if (!ctx.security.mgmtAuthenticated) return { sw: SW.SECURITY_NOT_SATISFIED };

  let template;
  try {
    const outer = decodeSingleTlv(command.data);
    if (outer.tag !== TAG_CONTROL_REFERENCE_TEMPLATE) return { sw: SW.WRONG_DATA };
    template = decodeTlvSequence(outer.value);
  } catch {
    return { sw: SW.WRONG_DATA };
  }
  const algId = singleByte(findTlv(template, TAG_ALGORITHM)?.value);
  const pinPolicy = singleByte(findTlv(template, TAG_PIN_POLICY)?.value);
  const touchPolicy = singleByte(findTlv(template, TAG_TOUCH_POLICY)?.value);
  if (algId === undefined || algId === null || pinPolicy === null || touchPolicy === null) return { sw: SW.WRONG_DATA };
  const alg = keyAlgorithmOfId(algId);
  if (!alg) return { sw: SW.WRONG_DATA };

  const stored = generateStoredKey(alg, {
    ...(pinPolicy !== undefined ? { pinPolicy } : {}),
    ...(touchPolicy !== undefined ? { touchPolicy } : {}),
  });
  // A new key replaces the old one; its certificate object is kept (digest §5).
  if (!ctx.persist((draft) => { draft.keys[slotName(command.p2)] = stored; })) return { sw: SW.MEMORY_FAILURE };
  const key = ctx.keyIn(command.p2);
  if (!key) return { sw: SW.MEMORY_FAILURE };
  return { data: key.publicKeyTemplate(), sw: SW.OK };
}
