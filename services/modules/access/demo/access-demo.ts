import type { ModuleContext } from '../../../../shared/modules/index.js';
import { createGroup, putMembership } from '../groups/group-store.js';
import { createSchedule } from '../groups/schedule-store.js';
import { bindReader, createDoor, createSite, createZone } from '../places/place-store.js';

const DEMO_SITE = 'Town Hall';

/**
 * Demo data for `npm start` on the embedded default: the Town Hall with a public reception, the
 * offices (office hours, bank holidays closed) and a server room (card and PIN, hard
 * anti-passback); staff, IT, visitor and emergency groups; the demo cardholders put in them.
 * Door readers already registered for the access module are bound to the doors in name order.
 * Re-runnable: does nothing once the site exists.
 */
export async function seedAccessDemo(ctx: ModuleContext): Promise<void> {
  const knex = ctx.knex;
  if (await knex('access_sites').where({ name: DEMO_SITE }).first('id')) return;
  const now = ctx.now();
  const site = await createSite(knex, { name: DEMO_SITE, description: 'Demo site' }, now);
  const reception = await createZone(knex, { siteId: site.id, name: 'Reception' }, now);
  const offices = await createZone(knex, { siteId: site.id, name: 'Offices' }, now);
  const serverRoom = await createZone(knex, { siteId: site.id, name: 'Server room', requiresPin: true, antiPassback: 'hard' }, now);
  const doors = [
    await createDoor(knex, { zoneId: reception.id, name: 'Main entrance' }, now),
    await createDoor(knex, { zoneId: offices.id, name: 'Office corridor' }, now),
    await createDoor(knex, { zoneId: serverRoom.id, name: 'Server room door' }, now),
  ];
  const readers = await knex('readers').where({ kind: 'door', status: 'active' }).orderBy('name').select('id');
  for (const [i, reader] of readers.slice(0, doors.length).entries()) await bindReader(knex, doors[i]!.id, { readerId: reader.id, direction: 'entry' });

  const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
  const officeHours = await createSchedule(
    knex,
    {
      name: 'Office hours',
      intervals: weekdays.map((day) => ({ day, start: '07:00', end: '19:00' })),
      holidays: [
        { date: '2026-12-25', name: 'Christmas Day' },
        { date: '2026-12-28', name: 'Boxing Day (substitute)' },
        { date: '2027-01-01', name: "New Year's Day" },
      ],
    },
    now,
  );
  const staff = await createGroup(knex, { name: 'All staff', scheduleId: officeHours.id, zoneIds: [reception.id, offices.id] }, now);
  const it = await createGroup(knex, { name: 'IT', zoneIds: [reception.id, offices.id, serverRoom.id] }, now);
  const visitors = await createGroup(knex, { name: 'Visitors', scheduleId: officeHours.id, zoneIds: [reception.id] }, now);
  await createGroup(knex, { name: 'Emergency responders', emergency: true, zoneIds: [reception.id, offices.id, serverRoom.id] }, now);

  const holder = async (given: string, family: string) => (await knex('cardholders').where({ given_name: given, family_name: family }).first('id'))?.id as string | undefined;
  const ada = await holder('Ada', 'Lovelace');
  if (ada) {
    await putMembership(knex, { groupId: staff.id, cardholderId: ada, note: 'demo' }, now);
    await putMembership(knex, { groupId: it.id, cardholderId: ada, note: 'demo' }, now);
  }
  const katherine = await holder('Katherine', 'Johnson');
  if (katherine) {
    // Temporary access: a visitor's pass that lapses a week after the demo starts.
    await putMembership(knex, { groupId: visitors.id, cardholderId: katherine, validUntil: new Date(now.getTime() + 7 * 86_400_000), note: 'demo visitor' }, now);
  }
  ctx.logger.info({ site: site.id, doors: doors.length, boundReaders: Math.min(readers.length, doors.length) }, 'Access demo site seeded');
}
