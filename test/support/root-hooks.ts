import { disposeSharedTestDatabase } from './test-database.js';

/** Mocha root hooks, loaded by .mocharc.json for every run. */
export const mochaHooks = {
  async afterAll(this: unknown) {
    await disposeSharedTestDatabase();
  },
};
