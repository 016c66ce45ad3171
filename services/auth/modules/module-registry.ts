import { TesseraError } from '../../../shared/errors/index.js';
import { DISPLAY_FIELDS, isAssurance, type PurposeDeclaration, type TapModule } from '../../../shared/modules/index.js';
import { CORE_PURPOSE_PREFIX, CORE_PURPOSES } from './core-purposes.js';

const MODULE_NAME = /^[a-z][a-z0-9-]{0,31}$/;
const PURPOSE_NAME = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const MAX_PURPOSE_LENGTH = 64;
const MAX_TIME_BUDGET_MS = 10_000;

/** A purpose as the router sees it: who decides it (no module: the platform) and whether that module runs. */
export interface RegisteredPurpose {
  readonly name: string;
  readonly declaration: PurposeDeclaration;
  readonly module: TapModule | undefined;
  readonly enabled: boolean;
}

export interface ModuleRegistry {
  readonly modules: readonly TapModule[];
  readonly enabledModules: readonly TapModule[];
  readonly purposes: ReadonlyMap<string, RegisteredPurpose>;
  purpose(name: string): RegisteredPurpose | undefined;
}

/**
 * Checks the installed modules against the contract and indexes their purposes. Refuses to
 * start (a coded error naming the module) on a bad name or declaration, a purpose declared
 * twice (or a core one), or an enabled module whose dependency is missing or switched off.
 */
export function buildModuleRegistry(modules: readonly TapModule[], disabled: readonly string[] = []): ModuleRegistry {
  const byName = new Map<string, TapModule>();
  for (const module of modules) {
    if (!MODULE_NAME.test(module.name)) throw invalid(module.name, 'its name must match ^[a-z][a-z0-9-]{0,31}$');
    if (byName.has(module.name)) throw invalid(module.name, 'it is installed twice');
    if (typeof module.decide !== 'function') throw invalid(module.name, 'it has no decide(tap, ctx)');
    byName.set(module.name, module);
  }
  const off = new Set(disabled);
  const purposes = new Map<string, RegisteredPurpose>();
  for (const [name, declaration] of Object.entries(CORE_PURPOSES)) purposes.set(name, { name, declaration, module: undefined, enabled: true });
  for (const module of modules) {
    for (const [name, declaration] of Object.entries(module.purposes)) {
      checkPurpose(module.name, name, declaration);
      if (name.startsWith(CORE_PURPOSE_PREFIX)) throw invalid(module.name, `${name} is in the platform's own identity.* namespace`);
      const taken = purposes.get(name);
      if (taken) {
        throw new TesseraError('ERR_MODULE_DUPLICATE_PURPOSE', `${name} is declared by ${taken.module?.name ?? 'the platform'} and ${module.name}`, {
          purpose: name,
          modules: [taken.module?.name ?? 'platform', module.name],
        });
      }
      purposes.set(name, { name, declaration, module, enabled: !off.has(module.name) });
    }
  }
  for (const module of modules) {
    if (off.has(module.name)) continue;
    for (const dependency of module.dependsOn ?? []) {
      if (!byName.has(dependency) || off.has(dependency)) {
        throw new TesseraError('ERR_MODULE_MISSING_DEPENDENCY', `${module.name} needs ${dependency}, which is ${byName.has(dependency) ? 'disabled' : 'not installed'}`, {
          module: module.name,
          dependency,
        });
      }
    }
  }
  const enabledModules = modules.filter((m) => !off.has(m.name));
  return { modules, enabledModules, purposes, purpose: (name) => purposes.get(name) };
}

function checkPurpose(module: string, name: string, declaration: PurposeDeclaration): void {
  if (!PURPOSE_NAME.test(name) || name.length > MAX_PURPOSE_LENGTH) throw invalid(module, `purpose ${name} must look like 'room.verb' (at most ${MAX_PURPOSE_LENGTH} characters)`);
  if (!isAssurance(declaration.minimumAssurance)) throw invalid(module, `purpose ${name} needs a minimumAssurance of 'card' or 'card+pin'`);
  for (const field of declaration.display ?? []) {
    if (!(DISPLAY_FIELDS as readonly string[]).includes(field)) throw invalid(module, `purpose ${name} lists an unknown display field ${field}`);
  }
  const budget = declaration.timeBudgetMs;
  if (budget !== undefined && (!Number.isInteger(budget) || budget < 1 || budget > MAX_TIME_BUDGET_MS)) {
    throw invalid(module, `purpose ${name} has a time budget outside 1..${MAX_TIME_BUDGET_MS} ms`);
  }
  const payload = declaration.maxPayloadBytes;
  if (payload !== undefined && (!Number.isInteger(payload) || payload < 0 || payload > 65_536)) throw invalid(module, `purpose ${name} has a payload limit outside 0..65536`);
}

function invalid(module: string, why: string): TesseraError {
  return new TesseraError('ERR_MODULE_INVALID', `Module ${module}: ${why}`, { module });
}
