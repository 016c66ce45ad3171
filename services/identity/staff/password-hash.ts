import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * scrypt cost parameters. N = 2^logN. They are written into every hash (PHC string format), so
 * raising them later only changes new hashes; old ones still verify and are re-hashed at the
 * next successful sign-in (needsRehash).
 */
export interface ScryptParameters {
  readonly logN: number;
  readonly r: number;
  readonly p: number;
}

/** 2^15 x 8 x 128 bytes = 32 MiB per hash, about 0.1 s on one core: RFC 7914's interactive-login tier. */
export const CURRENT_SCRYPT: ScryptParameters = { logN: 15, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Bounds on parameters read back from the database, so a corrupt row cannot ask for gigabytes. */
const LIMITS = { logN: [10, 20], r: [1, 32], p: [1, 16] } as const;

const phcPattern = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export interface ParsedPasswordHash {
  readonly parameters: ScryptParameters;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function derive(password: string, salt: Buffer, { logN, r, p }: ScryptParameters): Promise<Buffer> {
  const N = 2 ** logN;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r * p };
  // NIST SP 800-63B §5.1.1.2: normalise Unicode so the same password typed on another keyboard matches.
  const normalised = password.normalize('NFKC');
  return new Promise((resolve, reject) => {
    // Async scrypt runs on the libuv thread pool, so sign-ins do not stall the event loop.
    scrypt(normalised, salt, KEY_BYTES, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const b64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '');

/** `$scrypt$ln=15,r=8,p=1$<salt>$<key>` with unpadded base64, a fresh 16-byte salt each time. */
export async function hashPassword(password: string, parameters: ScryptParameters = CURRENT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, parameters);
  return `$scrypt$ln=${parameters.logN},r=${parameters.r},p=${parameters.p}$${b64(salt)}$${b64(key)}`;
}

export function parsePasswordHash(encoded: string): ParsedPasswordHash {
  const match = phcPattern.exec(encoded);
  if (!match) throw new Error('not a Tessera scrypt password hash');
  const parameters = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  for (const name of ['logN', 'r', 'p'] as const) {
    const [low, high] = LIMITS[name];
    if (parameters[name] < low || parameters[name] > high) throw new Error(`scrypt ${name} out of bounds in stored hash`);
  }
  return { parameters, salt: Buffer.from(match[4]!, 'base64'), key: Buffer.from(match[5]!, 'base64') };
}

/** Constant-time comparison of the derived key; false (never a throw) for a wrong password. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const { parameters, salt, key } = parsePasswordHash(encoded);
  const candidate = await derive(password, salt, parameters);
  return candidate.length === key.length && timingSafeEqual(candidate, key);
}

/** True when the stored hash is weaker than `parameters` and should be replaced after a successful sign-in. */
export function needsRehash(encoded: string, parameters: ScryptParameters = CURRENT_SCRYPT): boolean {
  const stored = parsePasswordHash(encoded).parameters;
  return stored.logN < parameters.logN || stored.r < parameters.r || stored.p < parameters.p;
}
