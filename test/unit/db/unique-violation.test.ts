import { expect } from 'chai';
import { conflictOnUniqueViolation, isUniqueViolation } from '../../../shared/db/index.js';

describe('db: a unique violation from a lost check-then-write race', () => {
  const conflict = () => new Error('name taken');

  it('recognises SQLSTATE 23505 and nothing else', () => {
    expect(isUniqueViolation(Object.assign(new Error('dup'), { code: '23505' }))).to.equal(true);
    expect(isUniqueViolation(Object.assign(new Error('fk'), { code: '23503' }))).to.equal(false);
    expect(isUniqueViolation(new Error('plain'))).to.equal(false);
    expect(isUniqueViolation(null)).to.equal(false);
  });

  it('turns a unique violation into the caller’s conflict, passes other failures and results through', async () => {
    const unique = Object.assign(new Error('duplicate key'), { code: '23505' });
    const other = Object.assign(new Error('deadlock'), { code: '40P01' });
    await conflictOnUniqueViolation(() => Promise.reject(unique), conflict).then(
      () => expect.fail('should have thrown'),
      (error: Error) => expect(error.message).to.equal('name taken'),
    );
    await conflictOnUniqueViolation(() => Promise.reject(other), conflict).then(
      () => expect.fail('should have thrown'),
      (error: Error) => expect(error).to.equal(other),
    );
    expect(await conflictOnUniqueViolation(() => Promise.resolve(7), conflict)).to.equal(7);
  });
});
