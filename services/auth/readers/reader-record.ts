/** What a reader device is (the registry's `kind`), after the list of devices. */
export const READER_KINDS = ['door', 'printer', 'till', 'workstation', 'kiosk', 'register', 'terminal', 'desk'] as const;
export type ReaderKind = (typeof READER_KINDS)[number];

export const READER_STATUSES = ['active', 'suspended', 'revoked'] as const;
export type ReaderStatus = (typeof READER_STATUSES)[number];

export interface ReaderRecord {
  readonly id: string;
  readonly name: string;
  readonly kind: ReaderKind;
  readonly site: string;
  readonly location: string;
  readonly module: string | null;
  readonly target: string | null;
  readonly status: ReaderStatus;
  /** SHA-256 of the reader's secret; null once revoked. Never leaves the auth service. */
  readonly credentialHash: Buffer | null;
  readonly credentialIssuedAt: Date | null;
  readonly firmwareVersion: string | null;
  readonly configVersion: string | null;
  readonly agentVersion: string | null;
  readonly lastHeartbeatAt: Date | null;
  readonly flaggedAt: Date | null;
  readonly flagReason: string | null;
  readonly createdAt: Date;
  readonly statusChangedAt: Date;
}

const date = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));

export function toReaderRecord(row: Record<string, any>): ReaderRecord {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    site: row.site,
    location: row.location,
    module: row.module ?? null,
    target: row.target ?? null,
    status: row.status,
    credentialHash: row.credential_hash ? Buffer.from(row.credential_hash) : null,
    credentialIssuedAt: date(row.credential_issued_at),
    firmwareVersion: row.firmware_version ?? null,
    configVersion: row.config_version ?? null,
    agentVersion: row.agent_version ?? null,
    lastHeartbeatAt: date(row.last_heartbeat_at),
    flaggedAt: date(row.flagged_at),
    flagReason: row.flag_reason ?? null,
    createdAt: date(row.created_at)!,
    statusChangedAt: date(row.status_changed_at)!,
  };
}

/** A reader is online while its last heartbeat is younger than the offline threshold. */
export function isOnline(reader: Pick<ReaderRecord, 'lastHeartbeatAt'>, now: Date, offlineAfterSeconds: number): boolean {
  return reader.lastHeartbeatAt !== null && now.getTime() - reader.lastHeartbeatAt.getTime() <= offlineAfterSeconds * 1000;
}

/** The reader as the API shows it: everything but the credential hash, plus `online`. */
export function toReaderView(reader: ReaderRecord, now: Date, offlineAfterSeconds: number) {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: reader.id,
    name: reader.name,
    kind: reader.kind,
    site: reader.site,
    location: reader.location,
    module: reader.module,
    target: reader.target,
    status: reader.status,
    online: reader.status === 'active' && isOnline(reader, now, offlineAfterSeconds),
    hasCredential: reader.credentialHash !== null,
    credentialIssuedAt: iso(reader.credentialIssuedAt),
    firmwareVersion: reader.firmwareVersion,
    configVersion: reader.configVersion,
    agentVersion: reader.agentVersion,
    lastHeartbeatAt: iso(reader.lastHeartbeatAt),
    flaggedAt: iso(reader.flaggedAt),
    flagReason: reader.flagReason,
    createdAt: reader.createdAt.toISOString(),
    statusChangedAt: reader.statusChangedAt.toISOString(),
  };
}

export type ReaderView = ReturnType<typeof toReaderView>;

const nullableString = { type: ['string', 'null'] } as const;
const nullableDate = { type: ['string', 'null'], format: 'date-time' } as const;

export const readerViewSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    kind: { type: 'string', enum: [...READER_KINDS] },
    site: { type: 'string' },
    location: { type: 'string' },
    module: nullableString,
    target: nullableString,
    status: { type: 'string', enum: [...READER_STATUSES] },
    online: { type: 'boolean', description: 'active, and a heartbeat within TESSERA_READER_OFFLINE_SECONDS' },
    hasCredential: { type: 'boolean' },
    credentialIssuedAt: nullableDate,
    firmwareVersion: nullableString,
    configVersion: nullableString,
    agentVersion: nullableString,
    lastHeartbeatAt: nullableDate,
    flaggedAt: nullableDate,
    flagReason: nullableString,
    createdAt: { type: 'string', format: 'date-time' },
    statusChangedAt: { type: 'string', format: 'date-time' },
  },
} as const;
