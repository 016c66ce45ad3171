import { compactVerify, importJWK, type JWK } from 'jose';
import { ALLOW_LIST_ALGORITHM, ALLOW_LIST_TYPE, type AllowList } from './allow-list-format.js';

/**
 * Checks a downloaded allow-list against the signing keys the controller pinned, and that it is
 * the list of this reader. Throws on any failure: a controller keeps its previous list rather
 * than trust one it cannot verify.
 */
export async function verifyAllowList(jws: string, keys: { keys: readonly JWK[] }, readerId: string): Promise<AllowList> {
  const { protectedHeader, payload } = await compactVerify(
    jws,
    async (header) => {
      const jwk = keys.keys.find((k) => k.kid === header.kid);
      if (!jwk) throw new Error(`allow-list signed by an unknown key ${header.kid ?? '(none)'}`);
      return importJWK(jwk, ALLOW_LIST_ALGORITHM);
    },
    { algorithms: [ALLOW_LIST_ALGORITHM] },
  );
  if (protectedHeader.typ !== ALLOW_LIST_TYPE) throw new Error(`not an allow-list (typ ${protectedHeader.typ ?? 'missing'})`);
  const list = JSON.parse(new TextDecoder().decode(payload)) as AllowList;
  if (list.v !== 1) throw new Error(`allow-list version ${String(list.v)} is not understood`);
  if (list.readerId !== readerId) throw new Error('the allow-list is for another reader');
  return list;
}
