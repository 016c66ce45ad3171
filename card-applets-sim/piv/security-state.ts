/**
 * Volatile security status of the PIV applet (SP 800-73-4 Part 2 §2.4): lost on power-off,
 * reset, and on selecting another application; kept on re-selecting PIV (§3.1.1).
 */
export class SecurityState {
  pinVerified = false;
  mgmtAuthenticated = false;
  /** Encrypted-witness step of 9B mutual authentication: the plain witness the host must return. */
  mgmtWitness: Uint8Array | null = null;
  /** External-authentication step: the challenge the host must encrypt. */
  mgmtChallenge: Uint8Array | null = null;
  /** Set by a successful VERIFY; it authorises the very next command only (9C "PIN always"). */
  private pinAlwaysArmedForNext = false;
  private pinAlwaysArmedNow = false;

  /** Called before each command: moves the PIN-always grant from "next" to "now". */
  beginCommand(): void {
    this.pinAlwaysArmedNow = this.pinAlwaysArmedForNext;
    this.pinAlwaysArmedForNext = false;
  }

  armPinAlways(): void {
    this.pinAlwaysArmedForNext = true;
  }

  get pinAlwaysSatisfied(): boolean {
    return this.pinVerified && this.pinAlwaysArmedNow;
  }

  clear(): void {
    this.pinVerified = false;
    this.mgmtAuthenticated = false;
    this.mgmtWitness = null;
    this.mgmtChallenge = null;
    this.pinAlwaysArmedForNext = false;
    this.pinAlwaysArmedNow = false;
  }
}
