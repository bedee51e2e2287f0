import { createHmac } from 'node:crypto';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** How many pseudonyms are remembered per secret: a network slice can show hundreds of victims, each an HMAC. */
const REMEMBERED = 50_000;

/** Pseudonyms already computed, by secret, then id; the oldest is forgotten first once {@link REMEMBERED} are kept. */
const computed = new Map<string, Map<string, string>>();

/**
 * A victim's stable pseudonym: an HMAC of the id under the server's secret, so it is the same on
 * every request and export but cannot be computed from the id without the secret. Each is computed once
 * and remembered (the process holds the secret already), so a slice with many victims costs a lookup each.
 *
 *     pseudonymFor('person:demo-victim-0001', secret) // 'Victim K7PQ-2XMA'
 */
export function pseudonymFor(id: string, secret: string): string {
  let bySecret = computed.get(secret);
  if (!bySecret) {
    bySecret = new Map();
    computed.set(secret, bySecret);
  }
  const known = bySecret.get(id);
  if (known !== undefined) return known;
  const digest = createHmac('sha256', secret).update(id).digest();
  let code = '';
  for (let i = 0; i < 8; i += 1) code += ALPHABET[(digest[i] ?? 0) % ALPHABET.length];
  const pseudonym = `Victim ${code.slice(0, 4)}-${code.slice(4)}`;
  if (bySecret.size >= REMEMBERED) bySecret.delete(bySecret.keys().next().value as string);
  bySecret.set(id, pseudonym);
  return pseudonym;
}
