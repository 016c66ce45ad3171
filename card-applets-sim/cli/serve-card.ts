/** `tessera card serve`: keep a card file in a vpcd slot until SIGINT/SIGTERM. */
import { SimulatedCard } from '../simulated-card.js';
import { VpcdBridge, VPCD_BASE_PORT, VPCD_DEFAULT_HOST } from '../vpcd/vpcd-bridge.js';

export function parseVpcdAddress(text: string): { host: string; port: number } {
  const match = /^(?:(.*):)?(\d{1,5})$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || !Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`not host:port: ${text}`);
  return { host: match[1] || VPCD_DEFAULT_HOST, port };
}

export async function serveCard(file: string, address: string, log: (line: string) => void): Promise<void> {
  const { host, port } = parseVpcdAddress(address);
  const card = SimulatedCard.fromFile(file);
  const bridge = new VpcdBridge(card, { host, port, warn: (message) => log(`warning: ${message}`) });
  const where = `vpcd ${host}:${port} (slot ${port - VPCD_BASE_PORT})`;
  let lastReason = '';
  bridge.on('connected', () => log(`card ${card.store.state.id} inserted into ${where}`));
  bridge.on('disconnected', () => log(`card removed from ${where}`));
  bridge.on('retrying', (_delay, reason) => {
    // Say it once per cause, not every backoff step.
    if (reason !== lastReason) log(`${where} not reachable (${reason}); retrying, is pcscd with vsmartcard-vpcd running?`);
    lastReason = reason;
  });
  bridge.on('connected', () => { lastReason = ''; });

  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      log(`${signal}: removing the card`);
      void bridge.stop().then(resolve);
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
    bridge.start();
  });
}
