import { TesseraError } from '../../../shared/errors/index.js';
import type { ApiRouter } from '../../../shared/http/index.js';
import type { AuthRuntime } from '../auth-runtime.js';
import { currentReader } from '../readers/reader-authenticator.js';
import type { ReaderRecord } from '../readers/reader-record.js';
import type { DeskRelay } from './desk-relay.js';

const READER = { kind: 'reader' } as const;
const tags = ['readers'];
const BASE64 = '^[A-Za-z0-9+/]*={0,2}$';

function requireDesk(reader: ReaderRecord): void {
  if (reader.kind !== 'desk') throw new TesseraError('ERR_RELAY_NOT_A_DESK', `Reader ${reader.name} is a ${reader.kind}, not a desk`);
}

/** The agent's side of the desk relay: a long poll for the next card command, and its answer. */
export function mountRelayRoutes(api: ApiRouter, rt: AuthRuntime, relay: DeskRelay): void {
  api.route<Record<string, string>, { wait: number }>({
    method: 'get',
    path: '/v1/readers/self/relay',
    operationId: 'nextRelayedCardCommand',
    summary: "A desk reader's next card command from the platform (long poll); 204 when none came within `wait` seconds",
    tags,
    auth: READER,
    query: { type: 'object', additionalProperties: false, properties: { wait: { type: 'integer', minimum: 0, maximum: 55, default: 25 } } },
    responses: {
      200: {
        description: 'a command: open (connect to the card), apdu (send `command` to the card), close (reset and release)',
        schema: { type: 'object', additionalProperties: false, properties: { id: { type: 'string' }, kind: { type: 'string', enum: ['open', 'apdu', 'close'] }, command: { type: ['string', 'null'] } } },
      },
      204: { description: 'no command' },
    },
    handler: async ({ req, res, query }) => {
      const reader = currentReader(req);
      requireDesk(reader);
      // The poll ends early when the agent goes away, so its claim never strands a command.
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const exchange = await relay.nextFor(reader.id, query.wait * 1000, gone.signal);
      if (!exchange) {
        res.status(204).end();
        return undefined;
      }
      return { id: exchange.id, kind: exchange.kind, command: exchange.command ? Buffer.from(exchange.command).toString('base64') : null };
    },
  });

  api.route<{ exchangeId: string }, Record<string, unknown>, { response?: string; atr?: string; error?: string; message?: string }>({
    method: 'post',
    path: '/v1/readers/self/relay/{exchangeId}',
    operationId: 'answerRelayedCardCommand',
    summary: "The card's answer to a relayed command (the full response APDU), or what went wrong at the reader",
    tags,
    auth: READER,
    params: { type: 'object', additionalProperties: false, required: ['exchangeId'], properties: { exchangeId: { type: 'string', format: 'uuid' } } },
    body: {
      type: 'object',
      additionalProperties: false,
      properties: {
        response: { type: 'string', pattern: BASE64, maxLength: 8192 },
        atr: { type: 'string', pattern: BASE64, maxLength: 64 },
        error: { type: 'string', enum: ['card_removed', 'no_card', 'reader_error'] },
        message: { type: 'string', maxLength: 500 },
      },
    },
    responses: { 204: { description: 'recorded' } },
    successStatus: 204,
    handler: async ({ req, params, body }) => {
      const reader = currentReader(req);
      requireDesk(reader);
      const bytes = body.response ?? body.atr;
      await relay.answer(reader.id, params.exchangeId, {
        ...(bytes !== undefined ? { response: Buffer.from(bytes, 'base64') } : {}),
        ...(body.error ? { error: body.error } : {}),
      });
      rt.logger.debug({ readerId: reader.id, exchangeId: params.exchangeId, error: body.error }, 'relay answer');
      return undefined;
    },
  });
}
