import type { Assurance } from '../../../shared/modules/index.js';
import type { AuthRuntime } from '../auth-runtime.js';
import type { ReaderRecord } from '../readers/reader-record.js';
import { signDecisionToken } from '../tokens/decision-token.js';
import type { TapOutcome } from './tap-outcome.js';
import { isPlatformReason, isStrikeReason } from './tap-reasons.js';

export interface OutcomeFacts {
  readonly tapId: string;
  readonly decision: 'granted' | 'denied';
  readonly reason: string;
  readonly purpose: string | null;
  readonly target: string | null;
  readonly assurance: Assurance | null;
  readonly subject: string | null;
  readonly cardId: string | null;
  readonly cardholder: Record<string, string> | null;
  readonly display: Readonly<Record<string, string | number | boolean>>;
}

/**
 * The last step of every answer, granted or denied: sign the decision token, count the
 * decision, audit a platform denial, and count a strike against the reader for one that
 * points at the reader.
 */
export async function finishTap(rt: AuthRuntime, reader: ReaderRecord, facts: OutcomeFacts, startedMs: number, extra: { recorded: boolean }): Promise<TapOutcome> {
  const now = rt.now();
  // A platform denial is a security event: audited (bounded per reader). A module's own denial is a business outcome, recorded on the tap.
  if (facts.decision === 'denied' && isPlatformReason(facts.reason)) {
    await rt.security.rejected(reader.id, facts.reason, { tapId: facts.tapId, purpose: facts.purpose, recordedOnTap: extra.recorded }, now);
    if (isStrikeReason(facts.reason)) await rt.gate.strike(reader, facts.reason, now);
  }
  if (!extra.recorded) rt.metrics.rejections.inc({ reason: facts.reason });
  const key = await rt.tokenKeys.signingKey();
  const token = signDecisionToken(
    key,
    {
      tapId: facts.tapId,
      decision: facts.decision,
      reason: facts.reason,
      purpose: facts.purpose ?? '',
      target: facts.target ?? '',
      readerId: reader.id,
      assurance: facts.assurance,
      subject: facts.subject,
      cardId: facts.cardId,
    },
    { issuer: rt.settings.issuer, now, lifetimeSeconds: rt.settings.tokenSeconds },
  );
  rt.metrics.taps.inc({ purpose: facts.purpose ?? 'unknown', decision: facts.decision, reason: facts.reason });
  rt.metrics.tapSeconds.observe({ decision: facts.decision }, (performance.now() - startedMs) / 1000);
  return {
    tapId: facts.tapId,
    decision: facts.decision,
    reason: facts.reason,
    purpose: facts.purpose,
    target: facts.target,
    assurance: facts.assurance,
    cardholder: facts.decision === 'granted' ? facts.cardholder : null,
    display: facts.decision === 'granted' ? facts.display : {},
    token,
    tokenExpiresAt: new Date(Math.floor(now.getTime() / 1000) * 1000 + rt.settings.tokenSeconds * 1000).toISOString(),
  };
}
