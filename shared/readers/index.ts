export type {
  ReaderProvider,
  ReaderInfo,
  ReaderEventMap,
  ReaderEvent,
  ReaderListener,
  CardConnection,
  Disposition,
} from './reader-provider.js';
export { PcscReaderProvider, type PcscProviderOptions } from './pcsc/pcsc-provider.js';
export { loadPcscLite, PCSCLITE_INSTALL_HINT } from './pcsc/load-pcsclite.js';
export { cardErrorFromScard, scardCodeOf, SCARD } from './pcsc/scard-errors.js';
export type { PcscLiteFactory } from './pcsc/pcsclite-types.js';
export { SimulatedReaderProvider, type InsertableCard } from './sim/simulated-provider.js';
export { parseReaderSpec, openReaderSpec, SIMULATED_READER, type ReaderSpec } from './reader-spec.js';
export { waitForCard, waitForCardRemoval } from './wait-for-card.js';
