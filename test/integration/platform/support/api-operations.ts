import type { JsonSchema } from '../../../../shared/http/json-schema.js';

/** Who may call an operation, read back from its OpenAPI `security`. */
export type CallerKind = 'public' | 'staff' | 'reader';

export interface ApiOperation {
  readonly method: string;
  /** OpenAPI form, e.g. `/v1/cards/{cardId}`. */
  readonly path: string;
  readonly caller: CallerKind;
  readonly pathParams: Readonly<Record<string, JsonSchema>>;
  readonly queryParams: Readonly<Record<string, JsonSchema>>;
  /** The declared body's media type and schema; undefined when the operation takes no body. */
  readonly body?: { readonly contentType: string; readonly schema: JsonSchema };
}

interface OpenApiOperation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema?: JsonSchema }> };
}

/**
 * Every operation of a served OpenAPI document. Read from the running platform, so an operation
 * added later is fuzzed (and checked by the role matrix) the day it appears.
 */
export function operationsOf(document: { paths: Record<string, Record<string, OpenApiOperation>> }): ApiOperation[] {
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const paramsIn = (where: string) =>
        Object.fromEntries((op.parameters ?? []).filter((p) => p.in === where).map((p) => [p.name, p.schema ?? {}]));
      const [contentType, media] = Object.entries(op.requestBody?.content ?? {})[0] ?? [];
      return {
        method: method.toUpperCase(),
        path,
        caller: callerOf(op),
        pathParams: paramsIn('path'),
        queryParams: paramsIn('query'),
        ...(contentType ? { body: { contentType, schema: media?.schema ?? {} } } : {}),
      };
    }),
  );
}

function callerOf(op: OpenApiOperation): CallerKind {
  const schemes = (op.security ?? []).flatMap((s) => Object.keys(s));
  if (schemes.includes('staffSession')) return 'staff';
  if (schemes.includes('readerCredential')) return 'reader';
  return 'public';
}
