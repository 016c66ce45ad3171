import type { CardChannel } from '../card/card-channel.js';
import { SW_FILE_NOT_FOUND, SW_OK } from '../apdu/index.js';
import { parseTlvs, valueOf } from './response-tlv.js';
import { Ins, PIV_AID } from './constants.js';
import { NotFoundError } from './errors.js';
import { transact } from './transport.js';
import { errorForStatus } from './status-errors.js';

/** What the card says about its PIV application in the SELECT answer (Part 2 §3.1.1, tag 61). */
export interface PivApplicationInfo {
  /** Tag 4F: the PIX or the full AID, as the card gives it. */
  readonly aid: Uint8Array | undefined;
  /** Tag 50: application label, if any. */
  readonly label: string | undefined;
}

/**
 * SELECT the PIV application by its full AID. Re-selecting keeps the security status (§3.1.1),
 * so this is safe to call before every transaction.
 */
export async function selectPiv(channel: CardChannel): Promise<PivApplicationInfo> {
  const { data, sw } = await transact(channel, { name: 'SELECT PIV', ins: Ins.Select, p1: 0x04, p2: 0x00, data: PIV_AID, expectData: true });
  if (sw === SW_FILE_NOT_FOUND) throw new NotFoundError('The PIV application', sw);
  if (sw !== SW_OK) throw errorForStatus(sw, 'SELECT PIV');
  if (data.length === 0) return { aid: undefined, label: undefined };
  const template = valueOf(parseTlvs(data, 'SELECT answer'), 0x61) ?? data;
  const inner = parseTlvs(template, 'SELECT answer');
  const label = valueOf(inner, 0x50);
  return { aid: valueOf(inner, 0x4f), label: label === undefined ? undefined : Buffer.from(label).toString('latin1') };
}
