/**
 * GENERAL AUTHENTICATE (SP 800-73-4 Part 2 §3.2.4): private-key operations in the asymmetric
 * slots and card management key authentication in 9B.
 */
import { SW, type CommandApdu } from '../../shared/apdu/index.js';
import type { AppletResponse } from '../runtime/applet.js';
import { parseDynamicAuthTemplate, encodeDynamicAuthTemplate, shapeOf } from './dynamic-auth-template.js';
import type { KeyOperationResult } from './key-pair.js';
import { authenticateManagementKey } from './management-auth.js';
import { ASYMMETRIC_KEY_REFS, DAT, KEY_ALGORITHM_ID, KEY_REF } from './piv-constants.js';
import type { PivContext } from './piv-context.js';

/** Access rule per slot (Part 1 §5.1; digest §4): 9E free, 9C PIN always, the rest PIN. */
function keyUseAllowed(ctx: PivContext, keyRef: number): boolean {
  if (keyRef === KEY_REF.CARD_AUTHENTICATION) return true;
  if (keyRef === KEY_REF.DIGITAL_SIGNATURE) return ctx.security.pinAlwaysSatisfied;
  return ctx.security.pinVerified;
}

export function generalAuthenticate(ctx: PivContext, command: CommandApdu): AppletResponse {
  const keyRef = command.p2;
  if (keyRef !== KEY_REF.CARD_MANAGEMENT && !ASYMMETRIC_KEY_REFS.has(keyRef)) return { sw: SW.INCORRECT_P1P2 };
  const template = parseDynamicAuthTemplate(command.data);
  if (!template) return { sw: SW.WRONG_DATA };
  if (keyRef === KEY_REF.CARD_MANAGEMENT) return authenticateManagementKey(ctx, command.p1, template);

  if (!keyUseAllowed(ctx, keyRef)) return { sw: SW.SECURITY_NOT_SATISFIED };
  const key = ctx.keyIn(keyRef);
  if (!key) return { sw: SW.REFERENCE_NOT_FOUND };
  if (KEY_ALGORITHM_ID[key.alg] !== command.p1) return { sw: SW.WRONG_DATA };

  let result: KeyOperationResult;
  switch (shapeOf(template)) {
    case 'Cr': // sign (RSA raw block or EC hash) / RSA decrypt
      result = key.alg === 'rsa2048' ? key.rsaPrivate(template.challenge!) : key.ecdsaSign(template.challenge!);
      break;
    case 'rE': // ECDH key agreement
      result = key.ecdh(template.exponentiation!);
      break;
    default:
      return { sw: SW.WRONG_DATA };
  }
  if (!result.ok) return { sw: SW.WRONG_DATA };
  return { data: encodeDynamicAuthTemplate(DAT.RESPONSE, result.value), sw: SW.OK };
}
