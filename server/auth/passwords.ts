import { type Algorithm, hash, verify } from '@node-rs/argon2';
import type { Config } from '../config';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Spends the time of one verification, so an unknown address answers as slowly as a known one. */
  burn(password: string): Promise<void>;
}

// Algorithm 2 is argon2id in @node-rs/argon2 (its const enum cannot be imported under isolatedModules).
const ARGON2ID = 2 as Algorithm;

/** argon2id through @node-rs/argon2: the one place that knows the library. */
export function createPasswordHasher(params: Config['argon2']): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...params };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, options),
    async verify(stored, password) {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },
    async burn(password) {
      dummy ??= hash('not a real password', options);
      await verify(await dummy, password).catch(() => false);
    },
  };
}
