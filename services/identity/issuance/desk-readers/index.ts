export type { DeskCardIntent, DeskSession, DeskReaderInfo, DeskReaderProvider } from './desk-reader.js';
export { DeskReaders, deskReadersFromConfig, parseDeskReaderSpecs, deskError, DEMO_DESK, type DeskReaderSpec } from './desk-readers.js';
export { SimulatedDeskStock, type SimulatedStockOptions } from './simulated-stock.js';
export { PcscDeskProvider, ANY_PCSC_READER } from './pcsc-desk-provider.js';
