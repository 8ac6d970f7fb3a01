// Web passwords: argon2id with OWASP's minimum parameters (19 MiB, 2 passes).
// A login for an unknown email still verifies against a fixed hash so that it
// takes as long as a wrong password.
import argon2 from 'argon2';

const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

let decoy: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, OPTIONS);
}

export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (hash === undefined) {
    decoy ??= argon2.hash('decoy password for unknown users', OPTIONS);
    await argon2.verify(await decoy, password);
    return false;
  }
  return argon2.verify(hash, password);
}
