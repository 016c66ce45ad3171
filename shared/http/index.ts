export { ApiRouter, type RouteSpec, type RouteInput, type ResponseSpec, type HttpMethod, type ApiRouterOptions } from './api-router.js';
export type { Authenticate, Principal, RouteAuth } from './principal.js';
export { buildOpenApiDocument, type OpenApiInfo } from './openapi.js';
export { problemHandler, sendProblem, toTesseraError, problemSchema, PROBLEM_CONTENT_TYPE } from './problem.js';
export { requestContext } from './request-context.js';
export { httpMetrics } from './http-metrics.js';
export { compileValidator, type FieldError } from './validators.js';
export { findOpenObjects, type JsonSchema } from './json-schema.js';
