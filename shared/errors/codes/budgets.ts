import type { ErrorDefinitions } from '../define-errors.js';

/** Errors of the devolved budgets module's management API (services/modules/budgets). */
export const budgetErrors = {
  ERR_BUDGET_NOT_FOUND: { status: 404, title: 'No such budget' },
  ERR_BUDGET_PROVIDER_NOT_FOUND: { status: 404, title: 'No such provider' },
  ERR_BUDGET_LOAD_NOT_FOUND: { status: 404, title: 'No such budget load' },
  ERR_BUDGET_RECIPIENT_UNKNOWN: { status: 422, title: 'No active cardholder with that id or reference' },
  ERR_BUDGET_INVALID: { status: 400, title: 'The budget is not valid' },
  ERR_BUDGET_CONFLICT: { status: 409, title: 'This conflicts with the budget as it stands' },
  ERR_BUDGET_CSV_INVALID: { status: 422, title: 'The CSV upload has rows that cannot be loaded; nothing was loaded' },
  ERR_BUDGET_APPROVAL_REQUIRED: { status: 409, title: 'This load waits for a second finance approver' },
  ERR_BUDGET_SELF_APPROVAL: { status: 403, title: 'The second approver must be another member of finance staff' },
  ERR_BUDGET_CONTRIBUTION_EXCEEDS_DUE: { status: 422, title: 'The payment is more than the client contribution still outstanding' },
  ERR_BUDGET_PERIOD_OPEN: { status: 409, title: 'The budget period has not ended yet' },
} as const satisfies ErrorDefinitions;
