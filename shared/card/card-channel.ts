/**
 * The one seam between host code and a card. Everything that talks PIV (issuance at a desk,
 * the reader agent, tests, the embedded demo) goes through this, so the same client code runs
 * against an in-process simulated card, a local PC/SC reader, or a desk reader relayed over HTTP.
 */
export interface CardChannel {
  /**
   * Send one command APDU and return the full response APDU: data followed by SW1 SW2.
   * Transport-level failures (card removed, reader gone) reject with CardRemovedError or
   * ReaderError; a status word is never an exception at this level.
   */
  transmit(command: Uint8Array): Promise<Uint8Array>;
}
