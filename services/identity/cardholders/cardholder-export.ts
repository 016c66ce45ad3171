import type { Knex } from 'knex';
import { listAuditEvents, type AuditEvent } from '../../../shared/audit/index.js';
import { cardsOfCardholder } from '../cards/card-store.js';
import { cardholderPhoto, getCardholder } from './cardholder-store.js';

const AUDIT_PAGE = 500;

async function allAuditEventsAbout(knex: Knex, subjectKind: string, subjectId: string): Promise<AuditEvent[]> {
  const events: AuditEvent[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await listAuditEvents(knex, { subjectKind, subjectId, limit: AUDIT_PAGE, ...(beforeSeq ? { beforeSeq } : {}) });
    events.push(...page.events);
    if (page.nextBeforeSeq === null) return events;
    beforeSeq = page.nextBeforeSeq;
  }
}

/**
 * A subject access export: everything the platform holds about one person, in one JSON
 * document. Secrets (card management keys, PUKs) are not personal data and never leave.
 * Services other than identity add their part through `collectSubjectData`.
 */
export async function exportCardholder(
  knex: Knex,
  cardholderId: string,
  now: Date,
  collectSubjectData: (cardholderId: string) => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const cardholder = await getCardholder(knex, cardholderId, { allowErased: true });
  const photo = await cardholderPhoto(knex, cardholderId);
  const cards = await cardsOfCardholder(knex, cardholderId, now);
  const events = [
    ...(await allAuditEventsAbout(knex, 'cardholder', cardholderId)),
    ...(await Promise.all(cards.map((card) => allAuditEventsAbout(knex, 'card', card.id)))).flat(),
  ].sort((a, b) => a.seq - b.seq);
  return {
    exportedAt: now.toISOString(),
    cardholder: { ...cardholder, photo: photo ? { contentType: photo.contentType, data: photo.bytes.toString('base64') } : null },
    cards,
    activity: events.map((e) => ({ at: e.at.toISOString(), action: e.action, subject: e.subject, details: e.details })),
    services: await collectSubjectData(cardholderId),
  };
}
