/** GET DATA and PUT DATA (SP 800-73-4 Part 2 §3.1.2, §3.3.2). */
import { SW, toHex, type CommandApdu } from '../../shared/apdu/index.js';
import { decodeSingleTlv, decodeTlvSequence, encodeTlv, type Tlv } from '../../shared/tlv/index.js';
import type { AppletResponse } from '../runtime/applet.js';
import { isPinProtectedObject, isSelfTaggedObject, isStorableObjectTag, OBJECT_CONTAINER_TAG, objectTagKey } from './data-objects.js';
import type { PivContext } from './piv-context.js';

const DATA_P1 = 0x3f;
const DATA_P2 = 0xff;
const TAG_LIST = 0x5c;

/** The object tag inside `5C len tag` (1 to 3 bytes). */
function objectTagOf(tagList: Tlv): number | undefined {
  if (tagList.tag !== TAG_LIST || tagList.value.length < 1 || tagList.value.length > 3) return undefined;
  return tagList.value.reduce((tag, b) => tag * 256 + b, 0);
}

function decodeOrUndefined<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch {
    return undefined;
  }
}

export function getData(ctx: PivContext, command: CommandApdu): AppletResponse {
  if (command.p1 !== DATA_P1 || command.p2 !== DATA_P2) return { sw: SW.INCORRECT_P1P2 };
  const tagList = decodeOrUndefined(() => decodeSingleTlv(command.data));
  const tag = tagList && objectTagOf(tagList);
  if (tag === undefined) return { sw: SW.WRONG_DATA };
  // PIN-protected objects answer 6982 before PIN verification even when absent (digest §3).
  if (isPinProtectedObject(tag) && !ctx.security.pinVerified) return { sw: SW.SECURITY_NOT_SATISFIED };
  const stored = ctx.objectBytes(objectTagKey(tag));
  if (stored === undefined) return { sw: SW.FILE_NOT_FOUND };
  return { data: stored, sw: SW.OK };
}

export function putData(ctx: PivContext, command: CommandApdu): AppletResponse {
  if (command.p1 !== DATA_P1 || command.p2 !== DATA_P2) return { sw: SW.INCORRECT_P1P2 };
  if (!ctx.security.mgmtAuthenticated) return { sw: SW.SECURITY_NOT_SATISFIED };
  const parts = decodeOrUndefined(() => decodeTlvSequence(command.data));
  if (!parts || parts.length === 0) return { sw: SW.WRONG_DATA };

  // Discovery and the BIT group template come as the object itself, without 5C (§3.3.2).
  const first = parts[0]!;
  if (parts.length === 1 && isSelfTaggedObject(first.tag)) {
    if (first.value.length === 0) return { sw: SW.WRONG_DATA };
    return store(ctx, first.tag, encodeTlv(first.tag, first.value));
  }
  const tag = objectTagOf(first);
  const body = parts[1];
  if (tag === undefined || parts.length !== 2 || !body || body.tag !== OBJECT_CONTAINER_TAG) return { sw: SW.WRONG_DATA };
  if (!isStorableObjectTag(tag) || isSelfTaggedObject(tag)) return { sw: SW.WRONG_DATA };
  // `53 00` deletes the object (ykpiv delete-certificate).
  if (body.value.length === 0) return store(ctx, tag, undefined);
  return store(ctx, tag, encodeTlv(OBJECT_CONTAINER_TAG, body.value));
}

function store(ctx: PivContext, tag: number, object: Uint8Array | undefined): AppletResponse {
  const key = objectTagKey(tag);
  const saved = ctx.persist((draft) => {
    if (object === undefined) delete draft.objects[key];
    else draft.objects[key] = toHex(object);
  });
  return { sw: saved ? SW.OK : SW.MEMORY_FAILURE };
}
