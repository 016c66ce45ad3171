import { expect } from 'chai';
import type { TapModule } from '../../../shared/modules/index.js';
import { isTesseraError } from '../../../shared/errors/index.js';
import { buildModuleRegistry } from '../../../services/auth/modules/module-registry.js';

const module = (name: string, purposes: TapModule['purposes'], extra: Partial<TapModule> = {}): TapModule => ({
  name,
  purposes,
  decide: async () => ({ decision: 'granted' }),
  ...extra,
});
const door = { description: 'open a door', minimumAssurance: 'card' } as const;

function codeOf(build: () => unknown): string | undefined {
  try {
    build();
  } catch (error) {
    return isTesseraError(error) ? error.code : 'not a TesseraError';
  }
  return undefined;
}

describe('auth: the module registry', () => {
  it('indexes every purpose with its module, beside the core identity.verify', () => {
    const registry = buildModuleRegistry([module('access', { 'door.open': door }), module('print', { 'print.release': { ...door, minimumAssurance: 'card+pin' } })]);
    expect(registry.purpose('door.open')?.module?.name).to.equal('access');
    expect(registry.purpose('print.release')?.declaration.minimumAssurance).to.equal('card+pin');
    expect(registry.purpose('identity.verify')?.module).to.equal(undefined);
  });

  it('refuses a purpose declared twice when the platform starts', () => {
    expect(codeOf(() => buildModuleRegistry([module('access', { 'door.open': door }), module('facilities', { 'door.open': door })]))).to.equal('ERR_MODULE_DUPLICATE_PURPOSE');
    expect(codeOf(() => buildModuleRegistry([module('rogue', { 'identity.verify': door })]))).to.equal('ERR_MODULE_INVALID');
  });

  it('refuses a missing or disabled dependency of an enabled module', () => {
    expect(codeOf(() => buildModuleRegistry([module('catering', { 'till.purchase': door }, { dependsOn: ['budgets'] })]))).to.equal('ERR_MODULE_MISSING_DEPENDENCY');
    const both = [module('catering', { 'till.purchase': door }, { dependsOn: ['budgets'] }), module('budgets', { 'budget.spend': door })];
    expect(codeOf(() => buildModuleRegistry(both, ['budgets']))).to.equal('ERR_MODULE_MISSING_DEPENDENCY');
    expect(codeOf(() => buildModuleRegistry(both, ['catering']))).to.equal(undefined);
  });

  it('refuses bad names and declarations', () => {
    expect(codeOf(() => buildModuleRegistry([module('Access', { 'door.open': door })]))).to.equal('ERR_MODULE_INVALID');
    expect(codeOf(() => buildModuleRegistry([module('access', { dooropen: door })]))).to.equal('ERR_MODULE_INVALID');
    expect(codeOf(() => buildModuleRegistry([module('access', { 'door.open': { ...door, minimumAssurance: 'pin' as never } })]))).to.equal('ERR_MODULE_INVALID');
    expect(codeOf(() => buildModuleRegistry([module('access', { 'door.open': { ...door, display: ['dateOfBirth' as never] } })]))).to.equal('ERR_MODULE_INVALID');
    expect(codeOf(() => buildModuleRegistry([module('access', { 'door.open': { ...door, timeBudgetMs: 0 } })]))).to.equal('ERR_MODULE_INVALID');
    expect(codeOf(() => buildModuleRegistry([module('access', { 'door.open': door }), module('access', {})]))).to.equal('ERR_MODULE_INVALID');
  });

  it('marks the purposes of a disabled module as not enabled', () => {
    const registry = buildModuleRegistry([module('access', { 'door.open': door })], ['access']);
    expect(registry.purpose('door.open')?.enabled).to.equal(false);
    expect(registry.enabledModules).to.deep.equal([]);
  });
});
