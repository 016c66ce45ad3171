import type { Request } from 'express';
import { TesseraError } from '../../../shared/errors/index.js';
import type { Authenticate, Principal } from '../../../shared/http/index.js';
import type { SecurityLog } from '../limits/security-log.js';
import { parseReaderCredential, secretMatches } from './reader-credential.js';
import type { ReaderDirectory } from './reader-directory.js';
import type { ReaderGate } from './reader-gate.js';
import type { ReaderRecord } from './reader-record.js';

const readersByRequest = new WeakMap<Request, ReaderRecord>();

/** The reader a request was authenticated as (routes with auth kind 'reader'). */
export function currentReader(req: Request): ReaderRecord {
  const reader = readersByRequest.get(req);
  if (!reader) throw new TesseraError('ERR_UNAUTHENTICATED', 'This request carries no reader credential');
  return reader;
}

const bearerPattern = /^Bearer +(\S+) *$/i;

export interface ReaderAuthDependencies {
  readonly readers: ReaderDirectory;
  readonly gate: ReaderGate;
  readonly security: SecurityLog;
  readonly now: () => Date;
}

/**
 * Resolves a reader from `Authorization: Bearer tsr1.<reader id>.<secret>`, checking in order:
 * the header holds a reader credential; the reader exists and the secret's SHA-256 matches the
 * stored hash (constant time); the reader is not revoked or suspended (a suspended reader's
 * calls are audited); the reader is within its rate. The reader record is cached per process
 * and dropped on every change, so none of this queries the database on the hot path.
 */
export function readerAuthenticator(deps: ReaderAuthDependencies): Authenticate {
  // Credentials already checked, with the stored hash (the very object) they matched. A reader
  // record reloaded after any change carries a new object, so a rotated or revoked credential
  // is checked afresh, and fails; a reader's next request skips the SHA-256.
  const verified = new Map<string, Buffer>();
  return async (req, auth): Promise<Principal> => {
    if (auth.kind !== 'reader') throw new TesseraError('ERR_UNAUTHENTICATED', 'This route is not for readers');
    const match = bearerPattern.exec(req.headers.authorization ?? '');
    const parsed = match ? parseReaderCredential(match[1]!) : undefined;
    if (!parsed) throw new TesseraError('ERR_READER_CREDENTIAL_INVALID', 'Send Authorization: Bearer tsr1.<reader id>.<secret>');
    const reader = await deps.readers.get(parsed.readerId);
    if (reader?.status === 'revoked') throw new TesseraError('ERR_READER_REVOKED');
    const credential = match![1]!;
    const known = reader?.credentialHash && verified.get(credential) === reader.credentialHash;
    if (!reader || (!known && !secretMatches(parsed.secret, reader.credentialHash))) throw new TesseraError('ERR_READER_CREDENTIAL_INVALID');
    if (!known && reader.credentialHash) {
      if (verified.size >= 50_000) verified.clear();
      verified.set(credential, reader.credentialHash);
    }
    const now = deps.now();
    if (reader.status === 'suspended') {
      await deps.security.rejected(reader.id, 'reader_suspended', { path: req.path }, now);
      throw new TesseraError('ERR_READER_SUSPENDED', `Reader ${reader.name} is suspended`);
    }
    await deps.gate.admit(reader, now);
    readersByRequest.set(req, reader);
    const principal: Principal = { kind: 'reader', id: reader.id, roles: [reader.kind], displayName: reader.name };
    req.principal = principal;
    return principal;
  };
}
