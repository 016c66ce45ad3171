import type { ErrorDefinitions } from '../define-errors.js';

/** Errors of the cashless catering module's management API (services/modules/catering). */
export const cateringErrors = {
  ERR_CATERING_SCHOOL_NOT_FOUND: { status: 404, title: 'No such school' },
  ERR_CATERING_TILL_NOT_FOUND: { status: 404, title: 'No such till' },
  ERR_CATERING_PUPIL_NOT_FOUND: { status: 404, title: 'This cardholder is not registered for catering' },
  ERR_CATERING_SALE_NOT_FOUND: { status: 404, title: 'No such sale' },
  ERR_CATERING_CARDHOLDER_UNKNOWN: { status: 422, title: 'No active cardholder with that id' },
  ERR_CATERING_CONFLICT: { status: 409, title: 'This conflicts with how catering is set up' },
  ERR_CATERING_CALENDAR_INVALID: { status: 400, title: 'The school calendar is not valid' },
  ERR_CATERING_MEAL_TIMES_INVALID: { status: 400, title: 'The meal times are not valid' },
  ERR_CATERING_REFUND_EXCEEDS_SALE: { status: 422, title: 'The refunds would exceed the sale' },
} as const satisfies ErrorDefinitions;
