export { TesseraError, isTesseraError } from './tessera-error.js';
export { errorCatalogue, problemTypeFor, type ErrorCode } from './catalogue.js';
export type { ErrorDefinition, ErrorDefinitions } from './define-errors.js';
