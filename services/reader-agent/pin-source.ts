import { createInterface } from 'node:readline';

/** Where the cardholder's PIN comes from when a purpose needs slot 9A (card+pin). */
export interface PinSource {
  pin(request: { readonly purpose: string; readonly target: string; readonly signal: AbortSignal }): Promise<string>;
}

/** A fixed PIN (tests, unattended demos). */
export function fixedPin(pin: string): PinSource {
  return { pin: async () => pin };
}

/** No PIN pad: a purpose that needs one is refused at the reader. */
export const noPinPad: PinSource = {
  pin: async ({ purpose }) => {
    throw new Error(`${purpose} needs the PIN and this reader has no PIN pad (--pin-from)`);
  },
};

/**
 * Asks on the terminal, without echo: the PIN pad of a workstation or kiosk agent. The PIN
 * goes to the card (VERIFY) and nowhere else; it is never logged or sent to the platform.
 */
export function terminalPin(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): PinSource {
  return {
    pin: ({ purpose, target, signal }) =>
      new Promise((resolve, reject) => {
        const rl = createInterface({ input, output, terminal: true });
        const muted = rl as unknown as { _writeToOutput?: (text: string) => void };
        output.write(`PIN for ${purpose} at ${target}: `);
        muted._writeToOutput = () => undefined;
        const onAbort = () => {
          rl.close();
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        rl.question('', (answer) => {
          signal.removeEventListener('abort', onAbort);
          rl.close();
          output.write('\n');
          resolve(answer.trim());
        });
      }),
  };
}
