/**
 * Dynamic authentication template `7C { 80 witness, 81 challenge, 82 response, 85 exponentiation }`
 * (SP 800-73-4 Part 2 §3.2.4). An empty element asks the card to produce it.
 */
import { decodeSingleTlv, decodeTlvSequence, encodeTlv } from '../../shared/tlv/index.js';
import { DAT } from './piv-constants.js';

export interface DynamicAuthTemplate {
  readonly witness?: Uint8Array;
  readonly challenge?: Uint8Array;
  readonly response?: Uint8Array;
  readonly exponentiation?: Uint8Array;
}

const FIELD_OF_TAG: Readonly<Record<number, keyof DynamicAuthTemplate>> = {
  [DAT.WITNESS]: 'witness',
  [DAT.CHALLENGE]: 'challenge',
  [DAT.RESPONSE]: 'response',
  [DAT.EXPONENTIATION]: 'exponentiation',
};

/** Strict parse: exactly one 7C, known inner tags, each at most once; undefined when malformed. */
export function parseDynamicAuthTemplate(data: Uint8Array): DynamicAuthTemplate | undefined {
  try {
    const outer = decodeSingleTlv(data);
    if (outer.tag !== DAT.TEMPLATE) return undefined;
    const fields: Partial<Record<keyof DynamicAuthTemplate, Uint8Array>> = {};
    for (const element of decodeTlvSequence(outer.value)) {
      const field = FIELD_OF_TAG[element.tag];
      if (!field || fields[field] !== undefined) return undefined;
      fields[field] = element.value;
    }
    return fields;
  } catch {
    return undefined;
  }
}

/** Which elements are present: 'w' 'c' 'r' 'e', uppercase when non-empty. E.g. "rC" = 82 00 + 81 data. */
export function shapeOf(template: DynamicAuthTemplate): string {
  const mark = (value: Uint8Array | undefined, letter: string): string =>
    value === undefined ? '' : value.length === 0 ? letter : letter.toUpperCase();
  return mark(template.witness, 'w') + mark(template.challenge, 'c') + mark(template.response, 'r') + mark(template.exponentiation, 'e');
}

export function encodeDynamicAuthTemplate(tag: number, value: Uint8Array): Uint8Array {
  return encodeTlv(DAT.TEMPLATE, encodeTlv(tag, value));
}
