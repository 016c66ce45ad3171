import { PcscReaderProvider } from './pcsc/pcsc-provider.js';
import type { ReaderProvider } from './reader-provider.js';
import { SimulatedReaderProvider } from './sim/simulated-provider.js';

/**
 * Where a card is found: `sim:<card file>` for an in-process simulated card, `pcsc:<name>` or
 * just the PC/SC reader name (as `opensc-tool -l` prints it) for a real or vpcd reader.
 */
export type ReaderSpec =
  | { readonly kind: 'sim'; readonly cardFile: string }
  | { readonly kind: 'pcsc'; readonly reader: string };

const SIM_PREFIX = 'sim:';
const PCSC_PREFIX = 'pcsc:';

export function parseReaderSpec(spec: string): ReaderSpec {
  if (spec.startsWith(SIM_PREFIX)) {
    const cardFile = spec.slice(SIM_PREFIX.length);
    if (cardFile.trim() === '') throw new RangeError('A reader spec "sim:<card file>" needs the path of a card file');
    return { kind: 'sim', cardFile };
  }
  const reader = spec.startsWith(PCSC_PREFIX) ? spec.slice(PCSC_PREFIX.length) : spec;
  if (reader.trim() === '') throw new RangeError('A reader spec is "sim:<card file>" or a PC/SC reader name');
  return { kind: 'pcsc', reader };
}

/** The reader name a simulated provider uses for a card file spec. */
export const SIMULATED_READER = 'Tessera Simulated Reader 0';

/**
 * A provider and the reader name for a spec. For `sim:` the card file is loaded (and saved on
 * every change) by card-applets-sim, imported only here and only when asked for.
 */
export async function openReaderSpec(spec: string | ReaderSpec): Promise<{ provider: ReaderProvider; reader: string }> {
  const parsed = typeof spec === 'string' ? parseReaderSpec(spec) : spec;
  if (parsed.kind === 'pcsc') return { provider: new PcscReaderProvider(), reader: parsed.reader };
  const { SimulatedCard } = await import('../../card-applets-sim/index.js');
  const provider = new SimulatedReaderProvider([SIMULATED_READER]);
  provider.insert(SIMULATED_READER, SimulatedCard.fromFile(parsed.cardFile));
  return { provider, reader: SIMULATED_READER };
}
