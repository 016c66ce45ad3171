/**
 * Card management key (9B) authentication through GENERAL AUTHENTICATE (SP 800-73-4 Part 2
 * Appendix A.1–A.3), in the exact layouts libykpiv and OpenSC read (digest §5):
 *   witness   `7C 02 80 00` -> `7C 0A 80 08 E(W)`; then `7C 14 80 08 W 81 08 C` -> `7C 0A 82 08 E(C)`
 *   challenge `7C 02 81 00` -> `7C 0A 81 08 C`;    then `7C 0A 82 08 E(C)` -> 9000
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { fromHex, SW } from '../../shared/apdu/index.js';
import type { AppletResponse } from '../runtime/applet.js';
import { encodeDynamicAuthTemplate, shapeOf, type DynamicAuthTemplate } from './dynamic-auth-template.js';
import { encryptBlock, managementAlgorithmOfId, MANAGEMENT_CIPHERS } from './management-key.js';
import { DAT } from './piv-constants.js';
import type { PivContext } from './piv-context.js';

function sameBytes(a: Uint8Array, b: Uint8Array | null): boolean {
  return b !== null && a.length === b.length && timingSafeEqual(a, b);
}

export function authenticateManagementKey(ctx: PivContext, algorithmId: number, template: DynamicAuthTemplate): AppletResponse {
  const { alg, key: keyHex } = ctx.state.managementKey;
  if (managementAlgorithmOfId(algorithmId) !== alg) return { sw: SW.WRONG_DATA };
  const key = fromHex(keyHex);
  const blockLength = MANAGEMENT_CIPHERS[alg].blockLength;
  const { security } = ctx;

  switch (shapeOf(template)) {
    case 'w': {
      // Step 1 of mutual authentication: the card's encrypted witness.
      const witness = new Uint8Array(randomBytes(blockLength));
      security.mgmtWitness = witness;
      security.mgmtAuthenticated = false;
      return { data: encodeDynamicAuthTemplate(DAT.WITNESS, encryptBlock(alg, key, witness)), sw: SW.OK };
    }
    case 'W':
    case 'WC':
    case 'WCr': {
      // Step 2: the host proves it decrypted the witness; the card answers the host's challenge.
      const expected = security.mgmtWitness;
      security.mgmtWitness = null;
      if (!sameBytes(template.witness!, expected)) {
        security.mgmtAuthenticated = false;
        return { sw: SW.SECURITY_NOT_SATISFIED };
      }
      const hostChallenge = template.challenge;
      if (hostChallenge !== undefined && hostChallenge.length !== blockLength) return { sw: SW.WRONG_DATA };
      security.mgmtAuthenticated = true;
      if (hostChallenge === undefined) return { sw: SW.OK };
      return { data: encodeDynamicAuthTemplate(DAT.RESPONSE, encryptBlock(alg, key, hostChallenge)), sw: SW.OK };
    }
    case 'c': {
      // External authentication step 1; OpenSC's get_challenge uses this as its RNG.
      const challenge = new Uint8Array(randomBytes(blockLength));
      security.mgmtChallenge = challenge;
      return { data: encodeDynamicAuthTemplate(DAT.CHALLENGE, challenge), sw: SW.OK };
    }
    case 'R': {
      const challenge = security.mgmtChallenge;
      security.mgmtChallenge = null;
      if (challenge === null || !sameBytes(template.response!, encryptBlock(alg, key, challenge))) {
        security.mgmtAuthenticated = false;
        return { sw: SW.SECURITY_NOT_SATISFIED };
      }
      security.mgmtAuthenticated = true;
      return { sw: SW.OK };
    }
    default:
      return { sw: SW.WRONG_DATA };
  }
}
