/**
 * FOR THE CRASH TEST ONLY: the platform (runPlatform, catering's migrations) as a child process,
 * with a test-only public route that hands a purchase tap to the catering module's decide(),
 * standing in for the tap router until it is live. Prints `listening <url>` once ready.
 * Run: node --import tsx test/integration/catering/support/purchase-platform.ts
 */
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../../../shared/config/index.js';
import type { PlatformService } from '../../../../shared/service/index.js';
import { cateringModule } from '../../../../services/modules/catering/index.js';
import { runPlatform } from '../../../../services/platform/run-platform.js';

interface PurchaseBody {
  tapId: string;
  readerId: string;
  cardholderId: string;
  basket: Record<string, unknown>;
}

const purchases: PlatformService = {
  name: 'catering-purchases-for-tests',
  migrationDirectories: [cateringModule.migrationsDirectory!],
  routers(ctx) {
    const router = ctx.createRouter();
    const moduleCtx = { module: 'catering', knex: ctx.db.knex, logger: ctx.logger, now: ctx.now, timeZone: ctx.config.timeZone, config: ctx.config };
    router.route<Record<string, string>, Record<string, unknown>, PurchaseBody>({
      method: 'post',
      path: '/v1/test-taps/purchases',
      operationId: 'testPurchase',
      summary: 'TEST ONLY: decide a till.purchase tap',
      auth: { kind: 'public' },
      body: {
        type: 'object',
        additionalProperties: false,
        required: ['tapId', 'readerId', 'cardholderId', 'basket'],
        properties: { tapId: { type: 'string' }, readerId: { type: 'string' }, cardholderId: { type: 'string' }, basket: { type: 'object', additionalProperties: true } },
      },
      responses: { 200: { description: 'the decision' } },
      handler: ({ body }) =>
        cateringModule.decide(
          {
            id: body.tapId,
            purpose: 'till.purchase',
            target: body.readerId,
            at: ctx.now(),
            assurance: 'card',
            reader: { id: body.readerId, name: body.readerId, kind: 'till', site: 'test', location: 'test' },
            credential: { kind: 'platform', cardId: randomUUID(), cardholderId: body.cardholderId, cardholderReference: null },
            payload: new TextEncoder().encode(JSON.stringify(body.basket)),
          },
          { ...moduleCtx, signal: new AbortController().signal },
        ),
    });
    return [router];
  },
};

const running = await runPlatform({ config: loadConfig(process.env), services: [purchases] });
process.stdout.write(`listening ${running.url}\n`);
const stop = () => void running.stop().then(() => process.exit(0), () => process.exit(1));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
