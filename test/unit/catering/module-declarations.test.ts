import { expect } from 'chai';
import { buildModuleRegistry } from '../../../services/auth/modules/module-registry.js';
import { budgetsModule } from '../../../services/modules/budgets/index.js';
import { cateringModule } from '../../../services/modules/catering/index.js';
import { installedModules } from '../../../services/modules/index.js';

describe('catering and budgets: module declarations', () => {
  it('pass the registry, with the assurance each purpose needs', () => {
    const registry = buildModuleRegistry([cateringModule, budgetsModule]);
    expect(registry.purpose('till.purchase')?.declaration.minimumAssurance).to.equal('card');
    expect(registry.purpose('budget.spend')?.declaration.minimumAssurance).to.equal('card+pin');
    expect(registry.purpose('budget.spend')?.declaration.allowExternal).to.equal(false);
  });

  it('are installed, each with its own migrations folder', () => {
    const names = installedModules().map((m) => m.name);
    expect(names).to.include.members(['catering', 'budgets']);
    expect(cateringModule.migrationsDirectory).to.match(/modules\/catering\/migrations$/);
    expect(budgetsModule.migrationsDirectory).to.match(/modules\/budgets\/migrations$/);
  });
});
