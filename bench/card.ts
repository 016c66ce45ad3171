/**
 * Simulated card throughput: APDU round trips per second in process and through pcscd (vpcd
 * slot, pcsclite client), and on-card signatures per second for RSA-2048 and P-256.
 *   npm run bench:card            (BENCH_VPCD_PORT=35964, BENCH_READER="Virtual PCD 00 01")
 * Last line: RESULT {...}. Targets: >= 20,000 APDU/s in process, >= 1,000 APDU/s through pcscd.
 */
import { performance } from 'node:perf_hooks';
import { encodeCommandApdu, fromHex, parseResponseApdu } from '../shared/apdu/index.js';
import { concatBytes, encodeTlv } from '../shared/tlv/index.js';
import { SimulatedCard } from '../card-applets-sim/simulated-card.js';
import { MemoryCardStore } from '../card-applets-sim/store/card-store.js';
import { factoryState } from '../card-applets-sim/store/factory-defaults.js';
import { provisionCard } from '../card-applets-sim/store/provision.js';
import { KEY_ALGORITHM_ID, type KeyAlgorithm } from '../card-applets-sim/piv/piv-constants.js';
import { ensurePcscd, openPcscSession, stopPcscd } from './card-pcsc.js';

const RUNS = 5;
const SELECT = fromHex('00A4040009A0000003080000100000');
const GET_CHUID = fromHex('00CB3FFF055C035FC102');
const VERIFY_QUERY = fromHex('00200080');
const GET_RESPONSE = fromHex('00C0000000');
const HASH = fromHex('5ECA8CC7BAB5F2E21C6A1CCD2F2E4F2D57ECE3F9EFD7E6F41B7C21FE76A5EDEE');

interface Stats { perSecond: number; p99Ms: number; medianMs: number }

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Median throughput over RUNS runs of n operations; latency quantiles over all operations. */
async function measure(n: number, op: () => unknown | Promise<unknown>, runs = RUNS): Promise<Stats> {
  const rates: number[] = [];
  const latencies: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await op();
      latencies.push(performance.now() - t);
    }
    rates.push(n / ((performance.now() - start) / 1000));
  }
  rates.sort((a, b) => a - b);
  latencies.sort((a, b) => a - b);
  return { perSecond: quantile(rates, 0.5), p99Ms: quantile(latencies, 0.99), medianMs: quantile(latencies, 0.5) };
}

function expectOk(response: Uint8Array): void {
  const { sw } = parseResponseApdu(response);
  if (sw !== 0x9000 && (sw & 0xfff0) !== 0x63c0 && (sw & 0xff00) !== 0x6100) throw new Error(`unexpected SW ${sw.toString(16)}`);
}

function provisionedCard(alg: KeyAlgorithm): SimulatedCard {
  const state = factoryState({ alg });
  provisionCard(state);
  const card = new SimulatedCard(new MemoryCardStore(state));
  card.transmit(SELECT);
  return card;
}

/** GENERAL AUTHENTICATE `7C { 82 00, 81 data }` on 9E: a raw PKCS#1 block for RSA, the hash for P-256. */
function signCommand(alg: KeyAlgorithm): Uint8Array {
  const data = alg === 'p256'
    ? HASH
    : fromHex('0001' + 'FF'.repeat(202) + '00' + '3031300D060960864801650304020105000420' + Buffer.from(HASH).toString('hex'));
  const template = encodeTlv(0x7c, concatBytes(encodeTlv(0x82, new Uint8Array(0)), encodeTlv(0x81, data)));
  return encodeCommandApdu({ ins: 0x87, p1: KEY_ALGORITHM_ID[alg], p2: 0x9e, data: template });
}

function line(label: string, s: Stats, baseline: number, baselineName: string): void {
  console.log(`${label.padEnd(34)} ${s.perSecond.toFixed(0).padStart(8)} /s   median ${s.medianMs.toFixed(3)} ms   p99 ${s.p99Ms.toFixed(3)} ms   x${(s.perSecond / baseline).toFixed(2)} vs ${baselineName}`);
}

/** Give up on a stuck PC/SC call rather than hang the benchmark. */
function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} timed out`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main(): Promise<void> {
  const card = provisionedCard('p256');
  const chuid = await measure(20_000, () => expectOk(card.transmit(GET_CHUID)));
  const query = await measure(20_000, () => expectOk(card.transmit(VERIFY_QUERY)));
  line('in-process GET DATA CHUID', chuid, 20_000, 'target 20000/s');
  line('in-process VERIFY status query', query, 20_000, 'target 20000/s');

  const signatures: Record<KeyAlgorithm, Stats> = {} as Record<KeyAlgorithm, Stats>;
  for (const alg of ['rsa2048', 'p256'] as const) {
    const signer = provisionedCard(alg);
    const command = signCommand(alg);
    // A signature is complete once GET RESPONSE has fetched its tail (RSA: 256 bytes + 6108).
    signatures[alg] = await measure(alg === 'rsa2048' ? 200 : 400, () => {
      let response = signer.transmit(command);
      while (response[response.length - 2] === 0x61) response = signer.transmit(GET_RESPONSE);
      expectOk(response);
    }, 3);
  }
  line('on-card RSA-2048 sign (9E, raw)', signatures.rsa2048, signatures.p256.perSecond, 'P-256');
  line('on-card P-256 ECDSA sign (9E)', signatures.p256, signatures.rsa2048.perSecond, 'RSA-2048');

  let pcscdRate: number | null = null;
  const port = Number(process.env.BENCH_VPCD_PORT ?? 35964);
  const readerName = process.env.BENCH_READER ?? `Virtual PCD 00 ${String(port - 35963).padStart(2, '0')}`;
  let ourPcscd = null;
  try {
    ourPcscd = await ensurePcscd();
    if (ourPcscd) console.log('started pcscd -f as a child for this run');
    // One session for both runs: a card re-inserted at once meets pcscd's stale handle.
    const session = await openPcscSession(provisionedCard('p256'), port, readerName);
    let viaPcscd: Stats;
    let withoutQuickAck: Stats;
    try {
      const getChuid = async (): Promise<void> => expectOk(await withTimeout(session.transmit(Buffer.from(GET_CHUID)), 5000, 'SCardTransmit'));
      expectOk(await session.transmit(Buffer.from(SELECT)));
      viaPcscd = await measure(2_000, getChuid);
      // Baseline: the same path without TCP_QUICKACK re-arming (digest G15), a short run.
      session.bridge.quickAck = false;
      withoutQuickAck = await measure(20, getChuid, 1);
    } finally {
      await session.close();
    }
    line(`pcscd ${readerName} GET DATA`, viaPcscd, 1_000, 'target 1000/s');
    line('pcscd without TCP_QUICKACK', withoutQuickAck, viaPcscd.perSecond, 'with QUICKACK');
    pcscdRate = viaPcscd.perSecond;
  } catch (err) {
    console.log(`pcscd run skipped: ${(err as Error).message} (apt-get install pcscd vsmartcard-vpcd)`);
  } finally {
    await stopPcscd(ourPcscd);
  }

  const result = {
    apdu_per_s_inprocess: Math.round(chuid.perSecond),
    apdu_per_s_pcscd: pcscdRate === null ? null : Math.round(pcscdRate),
    rsa2048_sign_per_s: Math.round(signatures.rsa2048.perSecond),
    p256_sign_per_s: Math.round(signatures.p256.perSecond),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

await main();
// pcsclite's native context keeps the event loop alive even after close().
process.exit(0);
