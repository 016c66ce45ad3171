import type { CommandApdu } from '../../shared/apdu/index.js';

/** What an applet answers: optional data and a status word. The runtime handles 61xx chunking. */
export interface AppletResponse {
  readonly data?: Uint8Array;
  readonly sw: number;
}

/**
 * An application on the simulated card. The runtime owns SELECT, chaining and GET RESPONSE;
 * the applet sees complete commands only.
 */
export interface Applet {
  /** Full AID; SELECT matches any right-truncated form of at least 5 bytes. */
  readonly aid: Uint8Array;
  /**
   * Called on SELECT of this AID. `reselect` is true when the applet was already current:
   * SP 800-73-4 Part 2 §3.1.1 keeps the security status unchanged then.
   */
  select(reselect: boolean): AppletResponse;
  /** Another application was selected: drop security status. */
  deselect(): void;
  /** Power off, power on or reset: drop every volatile state. */
  powerReset(): void;
  process(command: CommandApdu): AppletResponse;
}
