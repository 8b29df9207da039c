import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SettingError, type Setting } from '@longhaul/config';

/**
 * Webhook secrets at rest: AES-256-GCM under a key from configuration. The stored form is
 * `v1.<iv>.<tag>.<ciphertext>` (base64url), so a future key rotation can tell versions apart.
 */
export function secretsKeySetting(variable: string): Setting<Buffer> {
  return {
    variable,
    describe: '32 bytes, base64',
    parse(raw) {
      if (raw === undefined || raw.trim() === '') throw new SettingError('is required (32 random bytes, base64)');
      const key = Buffer.from(raw.trim(), 'base64');
      if (key.length !== 32) throw new SettingError(`must decode to 32 bytes, got ${key.length}`);
      return key;
    },
  };
}

export interface SecretBox {
  seal(plain: string): string;
  open(sealed: string): string;
}

export function createSecretBox(key: Buffer): SecretBox {
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('not a sealed secret');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
