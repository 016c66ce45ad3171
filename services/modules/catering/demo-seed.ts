import { systemActor } from '../../../shared/audit/index.js';
import { transfer } from '../../../shared/ledger/index.js';
import type { ModuleContext } from '../../../shared/modules/index.js';
import { CATERING_MODULE } from './fsm-allowance.js';
import { createSchool, putItem, putPupil, putTill, setCalendar } from './setup.js';

const DEMO_SCHOOL = 'Demo Primary School';

/**
 * Demo data for the embedded default: a primary school with the 2026/27 terms, a price list
 * with allergens, every active till reader placed at it, and the demo pupils registered with
 * £10 each (the first one FSM-eligible, the second one gluten-free). Does nothing once the
 * school exists.
 */
export async function seedCateringDemo(ctx: ModuleContext): Promise<void> {
  const knex = ctx.knex;
  if (await knex('catering_schools').where({ name: DEMO_SCHOOL }).first('id')) return;
  const actor = systemActor('catering-demo');
  const school = await createSchool(knex, { name: DEMO_SCHOOL, pinPolicy: 'card', fsmAllowancePence: 250, defaultDailyLimitPence: 500 }, actor);
  await setCalendar(
    knex,
    school.id,
    {
      terms: [
        { startsOn: '2026-09-02', endsOn: '2026-10-23' },
        { startsOn: '2026-11-02', endsOn: '2026-12-18' },
        { startsOn: '2027-01-05', endsOn: '2027-02-12' },
        { startsOn: '2027-02-22', endsOn: '2027-03-26' },
        { startsOn: '2027-04-12', endsOn: '2027-05-28' },
        { startsOn: '2027-06-07', endsOn: '2027-07-21' },
      ],
      insetDays: ['2026-11-27', '2027-01-04'],
    },
    actor,
  );
  const items: [string, string, number, string[]][] = [
    ['MEAL', 'Hot meal of the day', 250, ['milk']],
    ['JACKET', 'Jacket potato with beans', 220, []],
    ['SANDWICH', 'Cheese sandwich', 180, ['gluten', 'milk']],
    ['FRUIT', 'Piece of fruit', 40, []],
    ['COOKIE', 'Cookie', 60, ['egg', 'gluten']],
  ];
  for (const [code, name, pricePence, allergens] of items) await putItem(knex, school.id, code, { name, pricePence, allergens }, actor);
  const tills = (await knex('readers').where({ kind: 'till', status: 'active' }).orderBy('name').select('id', 'name')) as { id: string; name: string }[];
  for (const till of tills) await putTill(knex, till.id, { schoolId: school.id, name: till.name }, actor);
  const pupils = (await knex('cardholders').where({ kind: 'pupil', status: 'active' }).orderBy('reference').select('id')) as { id: string }[];
  for (const [i, { id }] of pupils.entries()) {
    const pupil = await putPupil(knex, id, { schoolId: school.id, fsmEligible: i === 0, ...(i === 1 ? { allergens: ['gluten'], dietary: ['vegetarian'] } : {}) }, actor);
    await transfer(
      knex,
      { idempotencyKey: `catering:demo-top-up:${id}`, debitAccountId: school.topupAccountId, creditAccountId: pupil.purseAccountId, amount: 1000, currency: 'GBP', reason: 'demo top-up', module: CATERING_MODULE },
      { now: ctx.now },
    );
  }
}
