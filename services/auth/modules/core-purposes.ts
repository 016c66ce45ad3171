import type { PurposeDeclaration } from '../../../shared/modules/index.js';

/** Purposes the platform decides itself, without a module. */
export const IDENTITY_VERIFY = 'identity.verify';

export const CORE_PURPOSES: Readonly<Record<string, PurposeDeclaration>> = {
  [IDENTITY_VERIFY]: {
    description: 'Who holds this card? For reception desks and kiosks: granted with the cardholder when the card is valid',
    minimumAssurance: 'card',
    display: ['name', 'reference', 'kind', 'orgUnit'],
  },
};

/** Purposes under this prefix are the platform's; no module may declare one. */
export const CORE_PURPOSE_PREFIX = 'identity.';
