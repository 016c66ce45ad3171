/** What `tessera card show` reports: identity, slots and counters. Never any secret. */
import { fromHex, toHex } from '../../shared/apdu/index.js';
import { decodeSingleTlv, decodeTlvSequence, findTlv } from '../../shared/tlv/index.js';
import { certificateTagOfSlot, objectTagKey, TAG } from '../piv/data-objects.js';
import { ASYMMETRIC_KEY_REFS, slotName } from '../piv/piv-constants.js';
import type { CardState } from '../store/card-state.js';
import { FACTORY_MANAGEMENT_KEY } from '../store/factory-defaults.js';

export interface SlotSummary {
  slot: string;
  key: string | null;
  certificate: boolean;
}

export interface CardSummary {
  id: string;
  serial: number;
  version: string;
  guid: string | null;
  defaultAlg: string;
  slots: SlotSummary[];
  pin: { triesLeft: number; maxTries: number };
  puk: { triesLeft: number; maxTries: number };
  managementKey: { alg: string; isFactoryDefault: boolean };
  objects: string[];
}

/** GUID from the CHUID's tag 34, when the CHUID is present and parses. */
function guidOf(state: CardState): string | null {
  const chuid = state.objects[objectTagKey(TAG.CHUID)];
  if (!chuid) return null;
  try {
    const guid = findTlv(decodeTlvSequence(decodeSingleTlv(fromHex(chuid)).value), 0x34);
    return guid ? toHex(guid.value) : null;
  } catch {
    return null;
  }
}

export function summarizeCard(state: CardState): CardSummary {
  const slots: SlotSummary[] = [];
  for (const keyRef of ASYMMETRIC_KEY_REFS) {
    const name = slotName(keyRef);
    const key = state.keys[name];
    const certificate = state.objects[objectTagKey(certificateTagOfSlot(keyRef)!)] !== undefined;
    if (key || certificate) slots.push({ slot: name, key: key ? key.alg : null, certificate });
  }
  return {
    id: state.id,
    serial: state.serial,
    version: state.version.join('.'),
    guid: guidOf(state),
    defaultAlg: state.defaultAlg,
    slots,
    pin: { triesLeft: state.pin.triesLeft, maxTries: state.pin.maxTries },
    puk: { triesLeft: state.puk.triesLeft, maxTries: state.puk.maxTries },
    managementKey: {
      alg: state.managementKey.alg,
      isFactoryDefault: state.managementKey.alg === '3des' && state.managementKey.key.toUpperCase() === FACTORY_MANAGEMENT_KEY.toUpperCase(),
    },
    objects: Object.keys(state.objects).sort(),
  };
}

export function formatCardSummary(summary: CardSummary): string {
  const tries = (c: { triesLeft: number; maxTries: number }): string => `${c.triesLeft} of ${c.maxTries} tries left${c.triesLeft === 0 ? ' (BLOCKED)' : ''}`;
  const lines = [
    `Card ${summary.id}`,
    `  serial:          ${summary.serial}`,
    `  version:         ${summary.version}`,
    `  GUID:            ${summary.guid ?? '(no CHUID)'}`,
    `  default alg:     ${summary.defaultAlg}`,
    `  PIN:             ${tries(summary.pin)}`,
    `  PUK:             ${tries(summary.puk)}`,
    `  management key:  ${summary.managementKey.alg}, ${summary.managementKey.isFactoryDefault ? 'FACTORY DEFAULT (change it before real use)' : 'changed from default'}`,
    `  slots:`,
  ];
  if (summary.slots.length === 0) lines.push('    (none populated)');
  for (const slot of summary.slots) lines.push(`    ${slot.slot}: key ${slot.key ?? 'none'}, certificate ${slot.certificate ? 'yes' : 'no'}`);
  lines.push(`  objects:         ${summary.objects.join(' ')}`);
  return lines.join('\n');
}
