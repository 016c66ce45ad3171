import type { CardChannel } from '../../../shared/card/card-channel.js';
import { fromHex, toHex } from '../../../shared/apdu/index.js';

/** One expected exchange: the command the client must send (hex, spaces ignored) and the card's answer. */
export interface Step {
  readonly expect: string | ((apdu: Uint8Array) => boolean);
  readonly reply: string | ((apdu: Uint8Array) => Uint8Array);
}

/**
 * A card that follows a script: each transmit must match the next step, else the test fails
 * with both APDUs in hex. `sent` keeps every APDU for assertions on the wire bytes.
 */
export class ScriptedChannel implements CardChannel {
  readonly sent: string[] = [];
  readonly #steps: Step[];

  constructor(steps: readonly Step[]) {
    this.#steps = [...steps];
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const hex = toHex(command);
    this.sent.push(hex);
    const step = this.#steps.shift();
    if (step === undefined) throw new Error(`unexpected APDU after the script ended: ${hex}`);
    const matches = typeof step.expect === 'string' ? normal(step.expect) === hex : step.expect(command);
    if (!matches) throw new Error(`APDU mismatch:\n  sent     ${hex}\n  expected ${String(step.expect)}`);
    return typeof step.reply === 'string' ? fromHex(step.reply) : step.reply(command);
  }

  /** Steps the client did not consume. */
  get remaining(): number {
    return this.#steps.length;
  }
}

export function normal(hex: string): string {
  return hex.replace(/\s+/g, '').toUpperCase();
}

/** A channel that answers every APDU with the same status word. */
export function answering(sw: string): CardChannel {
  return { transmit: async () => fromHex(sw) };
}
