/**
 * Names that say "this is a secret". The audit log is kept for years and read by admins, so a
 * details object carrying one of these keys is a bug: appendAudit refuses it instead of storing
 * it. Keys are compared lower-cased without separators, so `new_pin`, `newPin` and `NEW-PIN`
 * all end in `pin`.
 */
const secretSuffixes = [
  'password',
  'passwordhash',
  'passphrase',
  'secret',
  'token',
  'pin',
  'puk',
  'privatekey',
  'managementkey',
  'kek',
];

function namesASecret(key: string): boolean {
  const normalised = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  return secretSuffixes.some((suffix) => normalised.endsWith(suffix));
}

/** Throws naming the first offending path, e.g. `details.changes.password`. */
export function assertNoSecrets(value: unknown, path = 'details'): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => assertNoSecrets(item, `${path}[${i}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (namesASecret(key)) throw new Error(`audit details must never carry secrets: ${path}.${key} names one`);
    assertNoSecrets(child, `${path}.${key}`);
  }
}
