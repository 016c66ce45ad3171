/** The module contract shared by the auth service (registry, router) and the modules themselves. */
export { ASSURANCES, meetsAssurance, isAssurance, type Assurance } from './assurance.js';
export {
  DISPLAY_FIELDS,
  type TapModule,
  type PurposeDeclaration,
  type DisplayField,
  type ModuleContext,
  type ModuleTapContext,
  type AuthenticatedTap,
  type ModuleDecision,
  type ModuleApi,
} from './tap-module.js';
