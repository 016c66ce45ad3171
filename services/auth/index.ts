/**
 * The auth service (issue 5): readers, tap challenges and their verification, decision tokens
 * and JWKS, trust anchors, and the module registry and router. docs/tap-protocol.md is the
 * protocol a reader speaks.
 */
export { authService, type AuthService, type AuthServiceOptions } from './auth-service.js';
export { AuthRuntime } from './auth-runtime.js';
export { authSettingsFrom, type AuthSettings } from './auth-settings.js';
export { currentReader, readerAuthenticator } from './readers/reader-authenticator.js';
export { READER_KINDS, type ReaderKind, type ReaderRecord, type ReaderView } from './readers/reader-record.js';
export { createReader, findReaderByName, listReaders, changeReaderStatus, rotateReaderCredential, READER_STATUS_CHANNEL } from './readers/reader-store.js';
export { parseReaderCredential } from './readers/reader-credential.js';
export { RelayedDeskProvider, ANY_DESK_READER } from './relay/relayed-desk-provider.js';
export { deskRelayFor } from './relay/desk-relay-for.js';
