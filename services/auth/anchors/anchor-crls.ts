import type { Knex } from 'knex';
import { TesseraError, isTesseraError } from '../../../shared/errors/index.js';
import type { Logger } from '../../../shared/logging/index.js';
import type { TrustAnchorRecord } from './anchor-record.js';
import { checkAnchorCrl, claimCrlFetch, listAnchors, recordCrlError, storeAnchorCrl } from './anchor-store.js';

const FETCH_TIMEOUT_MS = 10_000;
const MAX_CRL_BYTES = 20 * 1024 * 1024;
/** Fetch again when less than this part of the CRL's life is left (or it has none). */
const REFRESH_FRACTION = 0.25;
const CHECK_EVERY_MS = 5 * 60_000;

/** GETs a CRL (DER or PEM) over HTTP(S), bounded in time and size. */
export async function downloadCrl(url: string): Promise<Uint8Array> {
  if (!/^https?:\/\//i.test(url)) throw new TesseraError('ERR_TRUST_ANCHOR_CRL_UNAVAILABLE', `Only http(s) CRL URLs are fetched: ${url}`);
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'follow' });
  } catch (error) {
    throw new TesseraError('ERR_TRUST_ANCHOR_CRL_UNAVAILABLE', `Cannot fetch ${url}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new TesseraError('ERR_TRUST_ANCHOR_CRL_UNAVAILABLE', `${url} answered ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_CRL_BYTES) throw new TesseraError('ERR_TRUST_ANCHOR_CRL_UNAVAILABLE', `${url} offers ${declared} bytes, more than ${MAX_CRL_BYTES}`);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > MAX_CRL_BYTES) throw new TesseraError('ERR_TRUST_ANCHOR_CRL_UNAVAILABLE', `${url} sent more than ${MAX_CRL_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Fetches, checks and keeps an anchor's CRL; records the error on the anchor when that fails. */
export async function refreshAnchorCrl(knex: Knex, anchor: TrustAnchorRecord, now: Date, download: (url: string) => Promise<Uint8Array> = downloadCrl): Promise<TrustAnchorRecord> {
  if (!anchor.crlUrl) throw new TesseraError('ERR_TRUST_ANCHOR_CRL_UNAVAILABLE', `${anchor.name} has no CRL URL; upload its CRL instead`);
  try {
    const crl = checkAnchorCrl(anchor, await download(anchor.crlUrl));
    return await storeAnchorCrl(knex, anchor, crl, now);
  } catch (error) {
    await recordCrlError(knex, anchor.id, isTesseraError(error) ? error.message : String(error));
    throw error;
  }
}

export function crlNeedsRefresh(anchor: TrustAnchorRecord, now: Date): boolean {
  if (!anchor.crlUrl || anchor.status !== 'active') return false;
  if (!anchor.crlNextUpdate || !anchor.crlThisUpdate) return true;
  const life = anchor.crlNextUpdate.getTime() - anchor.crlThisUpdate.getTime();
  return anchor.crlNextUpdate.getTime() - now.getTime() < life * REFRESH_FRACTION;
}

/**
 * Keeps the anchors' CRLs current in the background: every few minutes, each anchor whose CRL
 * is missing or near its nextUpdate is fetched by one process (the others see the claim).
 */
export class AnchorCrlRefresher {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(
    private readonly knex: Knex,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.#timer = setInterval(() => void this.runOnce(), CHECK_EVERY_MS);
    this.#timer.unref();
  }

  runOnce(): Promise<void> {
    this.#running ??= this.#refreshDue().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  async #refreshDue(): Promise<void> {
    const now = this.now();
    for (const anchor of await listAnchors(this.knex, { activeOnly: true })) {
      if (!crlNeedsRefresh(anchor, now) || !(await claimCrlFetch(this.knex, anchor.id, now))) continue;
      try {
        await refreshAnchorCrl(this.knex, anchor, now);
      } catch (error) {
        this.logger.warn({ anchor: anchor.name, err: (error as Error).message }, 'trust anchor CRL refresh failed');
      }
    }
  }
}
