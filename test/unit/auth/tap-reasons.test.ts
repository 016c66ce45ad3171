import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { isStrikeReason, TAP_REASONS } from '../../../services/auth/taps/tap-reasons.js';
import { authErrors } from '../../../shared/errors/codes/auth.js';

const doc = readFileSync(new URL('../../../docs/tap-protocol.md', import.meta.url), 'utf8');

describe('auth: reason codes are documented', () => {
  it('lists every reason in docs/tap-protocol.md, strike reasons marked †', () => {
    for (const reason of Object.keys(TAP_REASONS)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${reason}\``));
      expect(row, `docs/tap-protocol.md has no row for ${reason}`).to.be.a('string');
      expect(row!.includes('†'), `${reason}: the † mark must match its strike flag`).to.equal(isStrikeReason(reason));
    }
  });

  it('names every reader-facing error code of the tap API', () => {
    for (const code of ['ERR_READER_CREDENTIAL_INVALID', 'ERR_READER_REVOKED', 'ERR_READER_SUSPENDED', 'ERR_READER_THROTTLED', 'ERR_TAP_PURPOSE_UNKNOWN', 'ERR_TAP_PURPOSE_NOT_FOR_READER', 'ERR_TAP_TARGET_MISMATCH'] as const) {
      expect(authErrors).to.have.property(code);
      expect(doc, code).to.contain(code);
    }
  });
});
