import type { RouteSpec } from './api-router.js';
import type { JsonSchema } from './json-schema.js';
import { PROBLEM_CONTENT_TYPE, problemSchema } from './problem.js';

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

type Operation = Record<string, unknown>;

/** OpenAPI 3.1 from the very route declarations that validate requests (JSON Schema 2020-12 dialect). */
export function buildOpenApiDocument(info: OpenApiInfo, routes: readonly RouteSpec<any, any, any>[]): Record<string, unknown> {
  const paths: Record<string, Record<string, Operation>> = {};
  for (const route of routes) {
    const operation: Operation = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      ...(route.tags ? { tags: [...route.tags] } : {}),
      ...securityOf(route),
      parameters: [...parametersOf('path', route.params), ...parametersOf('query', route.query)],
      responses: responsesOf(route),
    };
    if (route.body) {
      operation.requestBody = { required: true, content: { [route.bodyContentType ?? 'application/json']: { schema: route.body } } };
    }
    (paths[route.path] ??= {})[route.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { Problem: problemSchema },
      securitySchemes: {
        staffSession: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'a staff session token from POST /v1/sessions' },
        readerCredential: { type: 'http', scheme: 'bearer', description: "a reader device's own credential" },
      },
    },
  };
}

function securityOf(route: RouteSpec<any, any, any>): Operation {
  switch (route.auth.kind) {
    case 'public':
      return { security: [] };
    case 'staff':
      return { security: [{ staffSession: [] }], 'x-roles': [...route.auth.roles] };
    case 'reader':
      return { security: [{ readerCredential: [] }] };
  }
}

function parametersOf(location: 'path' | 'query', schema: JsonSchema | undefined): Operation[] {
  if (!schema) return [];
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || required.has(name),
    schema: property,
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
  }));
}

function responsesOf(route: RouteSpec<any, any, any>): Operation {
  const responses: Operation = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.schema ? { content: { [spec.contentType ?? 'application/json']: { schema: spec.schema } } } : {}),
    };
  }
  responses.default = {
    description: 'An error, as RFC 9457 problem details',
    content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  return responses;
}
