import type { Knex } from 'knex';
import type { AuditActor } from '../../../shared/audit/index.js';
import type { ApiRouter, Principal } from '../../../shared/http/index.js';
import type { AuthRuntime } from '../auth-runtime.js';
import { readerViewSchema, toReaderView, type ReaderKind, type ReaderStatus } from './reader-record.js';
import {
  createReaderBody,
  listReadersQuery,
  readerIdParams,
  readerPageSchema,
  readerWithCredentialSchema,
  updateReaderBody,
  versionSummarySchema,
} from './reader-schemas.js';
import { changeReaderStatus, clearReaderFlag, createReader, getReader, listReaders, rotateReaderCredential, updateReader, type NewReader, type ReaderUpdate } from './reader-store.js';
import { readerVersionSummary } from './reader-versions.js';

/** Registering, changing and revoking readers is the admin's; module managers may look. */
const ADMIN = { kind: 'staff', roles: ['admin'] } as const;
const VIEWERS = {
  kind: 'staff',
  roles: ['admin', 'reception', 'access-manager', 'logon-manager', 'print-manager', 'catering-manager', 'library-manager', 'registration-manager', 'budgets-manager'],
} as const;
const tags = ['readers'];

type IdParams = { readerId: string };
interface ListQuery {
  site?: string;
  kind?: ReaderKind;
  status?: ReaderStatus;
  flagged?: boolean;
  online?: boolean;
  firmwareVersion?: string;
  after?: string;
  limit: number;
}

const staffActor = (principal: Principal | undefined): AuditActor => ({ kind: 'staff', id: principal?.id ?? null });

export function mountReaderRoutes(api: ApiRouter, rt: AuthRuntime): void {
  const view = (reader: Parameters<typeof toReaderView>[0]) => toReaderView(reader, rt.now(), rt.settings.offlineAfterSeconds);
  // Every change to a reader is announced to all processes (NOTIFY); this process also forgets
  // its copy at once, so the caller's next request never meets the old state here.
  const changeReader = async <T extends { reader: { id: string } } | { id: string }>(work: (trx: Knex.Transaction) => Promise<T>): Promise<T> => {
    const result = await rt.knex.transaction(work);
    rt.readers.forget('reader' in result ? result.reader.id : result.id);
    return result;
  };
  const inTransaction = <T>(work: (trx: Knex.Transaction) => Promise<T>) => rt.knex.transaction(work);

  api.route<Record<string, string>, Record<string, unknown>, NewReader>({
    method: 'post',
    path: '/v1/readers',
    operationId: 'createReader',
    summary: 'Register a reader and mint its credential',
    description: 'The credential is in the answer once and never again; only its SHA-256 is kept. 409 when the name is taken.',
    tags,
    auth: ADMIN,
    body: createReaderBody,
    successStatus: 201,
    responses: { 201: { description: 'registered', schema: readerWithCredentialSchema } },
    handler: async ({ body, principal }) => {
      const { reader, credential } = await inTransaction((trx) => createReader(trx, body, { actor: staffActor(principal), now: rt.now() }));
      return { reader: view(reader), credential };
    },
  });

  api.route<Record<string, string>, ListQuery>({
    method: 'get',
    path: '/v1/readers',
    operationId: 'listReaders',
    summary: 'List readers by name, with whether each is online',
    tags,
    auth: VIEWERS,
    query: listReadersQuery,
    responses: { 200: { description: 'one page of readers', schema: readerPageSchema } },
    handler: async ({ query }) => {
      const since = new Date(rt.now().getTime() - rt.settings.offlineAfterSeconds * 1000);
      const readers = await listReaders(rt.knex, {
        site: query.site,
        kind: query.kind,
        status: query.status,
        flagged: query.flagged,
        firmwareVersion: query.firmwareVersion,
        online: query.online === undefined ? undefined : { value: query.online, since },
        afterName: query.after,
        limit: query.limit,
      });
      return { items: readers.map(view), next: readers.length === query.limit ? readers[readers.length - 1]!.name : null };
    },
  });

  api.route({
    method: 'get',
    path: '/v1/readers/versions',
    operationId: 'readerVersions',
    summary: 'Active readers by reported firmware and configuration version, online and offline',
    tags,
    auth: VIEWERS,
    responses: { 200: { description: 'version groups', schema: versionSummarySchema } },
    handler: async () => ({
      offlineAfterSeconds: rt.settings.offlineAfterSeconds,
      versions: await readerVersionSummary(rt.knex, rt.now(), rt.settings.offlineAfterSeconds),
    }),
  });

  api.route<IdParams>({
    method: 'get',
    path: '/v1/readers/{readerId}',
    operationId: 'getReader',
    summary: 'One reader',
    tags,
    auth: VIEWERS,
    params: readerIdParams,
    responses: { 200: { description: 'the reader', schema: readerViewSchema } },
    handler: async ({ params }) => view(await getReader(rt.knex, params.readerId)),
  });

  api.route<IdParams, Record<string, unknown>, ReaderUpdate>({
    method: 'patch',
    path: '/v1/readers/{readerId}',
    operationId: 'updateReader',
    summary: 'Move a reader or change what it serves',
    tags,
    auth: ADMIN,
    params: readerIdParams,
    body: updateReaderBody,
    responses: { 200: { description: 'the reader', schema: readerViewSchema } },
    handler: async ({ params, body, principal }) =>
      view(await changeReader((trx) => updateReader(trx, params.readerId, body, { actor: staffActor(principal), now: rt.now() }))),
  });

  api.route<IdParams>({
    method: 'post',
    path: '/v1/readers/{readerId}/credential',
    operationId: 'rotateReaderCredential',
    summary: 'Mint a new credential for a reader; the old one stops working at once',
    tags,
    auth: ADMIN,
    params: readerIdParams,
    responses: { 200: { description: 'the new credential, shown once', schema: readerWithCredentialSchema } },
    handler: async ({ params, principal }) => {
      const { reader, credential } = await changeReader((trx) => rotateReaderCredential(trx, params.readerId, { actor: staffActor(principal), now: rt.now() }));
      return { reader: view(reader), credential };
    },
  });

  for (const action of ['suspend', 'resume', 'revoke'] as const) {
    api.route<IdParams>({
      method: 'post',
      path: `/v1/readers/{readerId}/${action}`,
      operationId: `${action}Reader`,
      summary: { suspend: 'Suspend a reader: its calls are refused and audited until resumed', resume: 'Resume a suspended reader', revoke: 'Revoke a reader for good: its credential is destroyed' }[action],
      tags,
      auth: ADMIN,
      params: readerIdParams,
      responses: { 200: { description: 'the reader', schema: readerViewSchema } },
      handler: async ({ params, principal }) =>
        view(await changeReader((trx) => changeReaderStatus(trx, params.readerId, action, { actor: staffActor(principal), now: rt.now() }))),
    });
  }

  api.route<IdParams>({
    method: 'post',
    path: '/v1/readers/{readerId}/clear-flag',
    operationId: 'clearReaderFlag',
    summary: 'Clear the misbehaviour flag of a reader after looking into it',
    tags,
    auth: ADMIN,
    params: readerIdParams,
    responses: { 200: { description: 'the reader', schema: readerViewSchema } },
    handler: async ({ params, principal }) => view(await changeReader((trx) => clearReaderFlag(trx, params.readerId, { actor: staffActor(principal), now: rt.now() }))),
  });
}
