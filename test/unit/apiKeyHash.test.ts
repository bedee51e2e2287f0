import { createHash } from 'node:crypto';
import { hashApiKey } from '../../src/auth/apiKeys';

describe('hashApiKey', () => {
  it('is the hex SHA-256 of the key as UTF-8, as the stored hashes of existing keys are', () => {
    // FIPS 180-2's test vector, and a key with characters outside ASCII (hashed as their UTF-8 bytes).
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const key = 'tg_Ünïcödé-ключ-鍵';
    expect(hashApiKey(key)).toBe(createHash('sha256').update(Buffer.from(key, 'utf8')).digest('hex'));
  });
});
