import { appendAudit, systemActor } from '../../../shared/audit/index.js';
import type { DemoSeeder, ServiceContext } from '../../../shared/service/index.js';
import { createCardholder, type CardholderInput } from '../cardholders/index.js';
import type { DeskReaders } from './desk-readers/index.js';
import { issuanceDepsFor } from './issuance-deps.js';
import { issueCard } from './issue-card.js';

/** The demo card's PIN: public, like the demo staff passwords (docs/issuance.md). */
export const DEMO_CARD_PIN = '246810';

const DEMO_CARDHOLDERS: readonly (CardholderInput & { staffNumber?: string; libraryNumber?: string })[] = [
  { givenName: 'Ada', familyName: 'Lovelace', kind: 'staff', orgUnit: 'Libraries', staffNumber: 'DEMO-0001', email: 'ada.lovelace@example.org' },
  { givenName: 'Alan', familyName: 'Turing', kind: 'pupil', orgUnit: 'Bletchley Park School', pupilUpn: 'A12345678901B' },
  { givenName: 'Grace', familyName: 'Hopper', kind: 'resident', libraryNumber: 'DEMO-L-0003' },
  { givenName: 'Katherine', familyName: 'Johnson', kind: 'visitor', orgUnit: 'Town Hall', staffNumber: 'DEMO-V-0004' },
];

/**
 * Demo cardholders, and one card issued to the first of them on the simulated stock (P-256,
 * cheap), active, so `npm start` shows a real card: its file is under TESSERA_DATA_DIR/cards/
 * and `tessera card serve` puts it in a vpcd reader for OpenSC. Re-runnable: existing demo
 * people and cards are left alone.
 */
export function demoIssuanceSeeder(deskReadersFor: (ctx: ServiceContext) => DeskReaders): DemoSeeder {
  return {
    name: 'demo-cards',
    async seed(ctx) {
      const actor = systemActor('demo-seed');
      const ids: string[] = [];
      for (const person of DEMO_CARDHOLDERS) {
        const existing = await ctx.db.knex('cardholders').where({ given_name: person.givenName, family_name: person.familyName }).first('id');
        if (existing) {
          ids.push(existing.id);
          continue;
        }
        const created = await ctx.db.knex.transaction(async (trx) => {
          const now = ctx.now();
          const cardholder = await createCardholder(trx, person, now);
          await appendAudit(trx, { actor, action: 'cardholder.create', subject: { kind: 'cardholder', id: cardholder.id }, details: { reference: cardholder.reference, demo: true }, at: now });
          return cardholder;
        });
        ids.push(created.id);
      }
      const deskReaders = deskReadersFor(ctx);
      const desk = (await deskReaders.list()).find((d) => d.kind === 'sim');
      const holder = ids[0]!;
      if (!desk) {
        ctx.logger.info('Demo cardholders enrolled; no simulated desk reader configured, so no demo card was issued');
        return;
      }
      if (await ctx.db.knex('cards').where({ cardholder_id: holder }).first('id')) return;
      const issued = await issueCard(issuanceDepsFor(ctx, deskReaders), {
        cardholderId: holder,
        purpose: 'new',
        deskReader: desk.name,
        algorithm: 'p256',
        pin: DEMO_CARD_PIN,
        activate: true,
        actor,
      });
      ctx.logger.info({ cardId: issued.card.id, deskReader: desk.name }, `Demo card issued to Ada Lovelace (PIN ${DEMO_CARD_PIN}, public demo value)`);
    },
  };
}
