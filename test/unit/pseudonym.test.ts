import { createHmac } from 'node:crypto';
import { pseudonymFor } from '../../src/person/pseudonym';

/** The pseudonym computed from scratch, as pseudonymFor did before it remembered them. */
function fresh(id: string, secret: string): string {
  const digest = createHmac('sha256', secret).update(id).digest();
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const code = [...digest.subarray(0, 8)].map((byte) => alphabet[byte % alphabet.length]).join('');
  return `Victim ${code.slice(0, 4)}-${code.slice(4)}`;
}

describe('pseudonymFor', () => {
  it('answers the HMAC pseudonym of the id under the secret, the same when asked again', () => {
    const first = pseudonymFor('person:test-victim-7', 'secret-one-0123456789');
    expect(first).toBe(fresh('person:test-victim-7', 'secret-one-0123456789'));
    expect(first).toMatch(/^Victim [A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(pseudonymFor('person:test-victim-7', 'secret-one-0123456789')).toBe(first);
  });

  it('keeps what it remembers apart by secret: another server secret gives another pseudonym', () => {
    const one = pseudonymFor('person:test-victim-8', 'secret-one-0123456789');
    const two = pseudonymFor('person:test-victim-8', 'secret-two-0123456789');
    expect(two).toBe(fresh('person:test-victim-8', 'secret-two-0123456789'));
    expect(two).not.toBe(one);
  });

  it('stays right past the number it remembers (the oldest are forgotten and computed again)', () => {
    const secret = 'secret-three-0123456789';
    const first = pseudonymFor('person:test-victim-0', secret);
    for (let i = 1; i <= 50_001; i += 1) pseudonymFor(`person:test-victim-${i}`, secret);
    expect(pseudonymFor('person:test-victim-0', secret)).toBe(first);
    expect(pseudonymFor('person:test-victim-50001', secret)).toBe(fresh('person:test-victim-50001', secret));
  });
});
