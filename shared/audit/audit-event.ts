/**
 * Who did something. `staff` is a signed-in staff member (id = staff id); `system` is the
 * platform itself (start-up bootstrap, demo seed; id names the step); `cli` is an operator at
 * the command line (id = the operating-system user); `anonymous` is an unauthenticated caller,
 * such as a failed sign-in for an unknown username; `reader` is a registered reader device.
 */
export type AuditActorKind = 'staff' | 'system' | 'cli' | 'anonymous' | 'reader';

export interface AuditActor {
  readonly kind: AuditActorKind;
  readonly id: string | null;
}

/** What was acted on, e.g. `{ kind: 'staff', id: '<staff id>' }`; null when nothing is. */
export interface AuditSubject {
  readonly kind: string;
  readonly id: string | null;
}

/** What a caller asks appendAudit to record. */
export interface AuditEventInput {
  readonly actor: AuditActor;
  /** `<room>.<verb>`, e.g. `staff.create`, `session.login-failure`. */
  readonly action: string;
  readonly subject?: AuditSubject | null;
  /** What changed, as plain JSON. NEVER secrets: appendAudit refuses keys that name one. */
  readonly details?: Readonly<Record<string, unknown>>;
  /** Defaults to now; kept to the millisecond so it round-trips through timestamptz exactly. */
  readonly at?: Date;
}

/** One row of the chain as stored. */
export interface AuditEvent {
  readonly seq: number;
  readonly at: Date;
  readonly actor: AuditActor;
  readonly action: string;
  readonly subject: AuditSubject | null;
  readonly details: Readonly<Record<string, unknown>>;
  readonly prevHash: string;
  readonly hash: string;
}

export const systemActor = (step: string): AuditActor => ({ kind: 'system', id: step });
export const anonymousActor: AuditActor = { kind: 'anonymous', id: null };
