import { randomInt } from 'node:crypto';
import { TesseraError } from '../../../shared/errors/index.js';

/**
 * The PIN rules the desk enforces before a card is touched. FIPS 201-3 §4.3 asks for at least
 * six digits and PIV stores at most eight (SP 800-73-4 Part 2 §2.4.3); the other two rules keep
 * out the PINs people guess first. A PIN is never stored, logged or audited.
 */
export type PinRule = 'digits' | 'length' | 'repeated' | 'sequence';

export const PIN_RULES: Readonly<Record<PinRule, string>> = {
  digits: 'a PIN is made of digits 0-9 only',
  length: 'a PIN is 6 to 8 digits long',
  repeated: 'a PIN may not be one digit repeated (e.g. 111111)',
  sequence: 'a PIN may not be a simple sequence, up or down (e.g. 123456, 987654, 890123)',
};

/** The first rule `pin` breaks, or undefined when it keeps them all. */
export function brokenPinRule(pin: string): PinRule | undefined {
  if (!/^[0-9]*$/.test(pin)) return 'digits';
  if (pin.length < 6 || pin.length > 8) return 'length';
  const digits = [...pin].map(Number);
  if (digits.every((d) => d === digits[0])) return 'repeated';
  // Up or down by one at every step, wrapping round 9 -> 0 (789012 is as guessable as 123456).
  const step = (digits[1]! - digits[0]! + 10) % 10;
  if ((step === 1 || step === 9) && digits.every((d, i) => i === 0 || (d - digits[i - 1]! + 10) % 10 === step)) return 'sequence';
  return undefined;
}

/** Throws ERR_PIN_RULE naming the rule (and the request field) when `pin` breaks one. */
export function assertPinRules(pin: string, field = 'pin'): void {
  const rule = brokenPinRule(pin);
  if (rule) throw new TesseraError('ERR_PIN_RULE', `${field}: ${PIN_RULES[rule]}`, { rule, field });
}

/** A random six-digit PIN that keeps the rules (for batch issuance that prints PIN letters). */
export function generatePin(): string {
  for (;;) {
    const pin = String(randomInt(0, 1_000_000)).padStart(6, '0');
    if (brokenPinRule(pin) === undefined) return pin;
  }
}

/** A random eight-digit PUK; it never leaves the platform (sealed on the card's row). */
export function generatePuk(): string {
  for (;;) {
    const puk = String(randomInt(0, 100_000_000)).padStart(8, '0');
    if (brokenPinRule(puk) === undefined) return puk;
  }
}
