import { randomInt } from 'node:crypto';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * The password rules (NIST SP 800-63B §5.1.1.2: length over composition): at least 12
 * characters, at most 1024, and not the username. Returns the rules broken, empty when none.
 * Length counts Unicode code points after NFKC, as the hash sees them.
 */
export function passwordProblems(password: string, username: string): string[] {
  const problems: string[] = [];
  const length = [...password.normalize('NFKC')].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`must be at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must be at most ${PASSWORD_MAX_LENGTH} characters`);
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) problems.push('must not be the username');
  return problems;
}

/** No 0/O, 1/l/I: a generated password is read aloud or copied from a screen. */
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** 20 random characters in four groups of five (about 116 bits), e.g. `h7Kxq-2mPzR-...`. */
export function generatePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g += 1) {
    let group = '';
    for (let i = 0; i < 5; i += 1) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
