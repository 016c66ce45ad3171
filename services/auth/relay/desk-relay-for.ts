import type { ServiceContext } from '../../../shared/service/index.js';
import { notificationFeedFor, type NotificationFeed } from '../notifications/notification-feed.js';
import { DeskRelay } from './desk-relay.js';

const relays = new WeakMap<ServiceContext, { relay: DeskRelay; feed: NotificationFeed; started: Promise<void> }>();

/**
 * The desk relay of a platform process, shared by the auth service (which serves the agents'
 * long polls) and issuance (which drives cards through it). It has its own LISTEN connection,
 * so it works in a process that runs issuance without the auth service.
 */
export function deskRelayFor(ctx: ServiceContext): DeskRelay {
  let entry = relays.get(ctx);
  if (!entry) {
    const feed = notificationFeedFor(ctx.db, ctx.logger);
    const relay = new DeskRelay(ctx.db.knex, ctx.secrets, feed, ctx.now);
    entry = { relay, feed, started: feed.start().catch((error: unknown) => ctx.logger.warn({ err: (error as Error).message }, 'desk relay: LISTEN failed; polling instead')) };
    relays.set(ctx, entry);
  }
  return entry.relay;
}

/** Stops the relay's LISTEN connection (the auth service calls this on shutdown). */
export async function closeDeskRelay(ctx: ServiceContext): Promise<void> {
  const entry = relays.get(ctx);
  if (!entry) return;
  relays.delete(ctx);
  await entry.started;
  await entry.feed.close();
}
