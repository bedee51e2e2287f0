import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A victim's stable pseudonym: an HMAC of the id under the server's secret, so it is the same on
 * every request and export but cannot be computed from the id without the secret.
 *
 *     pseudonymFor('person:demo-victim-0001', secret) // 'Victim K7PQ-2XMA'
 */
export function pseudonymFor(id: string, secret: string): string {
  const digest = createHmac('sha256', secret).update(id).digest();
  let code = '';
  for (let i = 0; i < 8; i += 1) code += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  return `Victim ${code.slice(0, 4)}-${code.slice(4)}`;
}
