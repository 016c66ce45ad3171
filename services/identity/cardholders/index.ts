export { mountCardholderRoutes } from './cardholder-routes.js';
export { getCardholder, findCardholder, createCardholder, searchCardholders, type Cardholder } from './cardholder-store.js';
export { eraseCardholder } from './cardholder-erasure.js';
export { exportCardholder } from './cardholder-export.js';
export { CARDHOLDER_KINDS, type CardholderKind, type CardholderInput } from './cardholder-schemas.js';
