import { namesVictim, victimNamesInEvent } from '../../src/resolution/victimText';

const anong = { id: 'person:demo-victim-0001', name: 'Demo Victim Anong Quillfeather (pseudonym)', aliases: ['Quillfeather-A (demo alias)', 'Nong Quill (demo alias)'] };

describe("the free-text rule: an event's text may not name a victim it involves", () => {
  it('finds the name in full, whatever the case and diacritics, and each alias', () => {
    expect(namesVictim('ANONG quillfeather was moved', anong)).toBe(true);
    expect(namesVictim('Ánong Quíllfeather, moved at night', anong)).toBe(true);
    expect(namesVictim('seen with nong-quill at the gate', anong)).toBe(true);
    // "Quillfeather-A" is the alias "quillfeather" once the one-letter token and generic words are left out.
    expect(namesVictim('Quillfeather sold on', anong)).toBe(true);
  });

  it('does not find generic words, a name out of order, or part of a longer word', () => {
    expect(namesVictim('a demo victim was moved (pseudonym)', anong)).toBe(false);
    expect(namesVictim('Nong and Quill are places', { ...anong, aliases: ['Nong Quill'] })).toBe(false);
    expect(namesVictim('Quillfeathers Ltd', anong)).toBe(false);
    expect(namesVictim(null, anong)).toBe(false);
  });

  it('names the field, the victim, and whether by name or by an alias, for each match', () => {
    const other = { id: 'person:demo-victim-0002', name: 'Demo Victim Quang Veridian (pseudonym)' };
    expect(victimNamesInEvent({ title: 'Transfer', description: 'Quang Veridian and Nong Quill', place: 'Veridian house' }, [anong, other])).toEqual([
      { field: 'description', victimId: anong.id, via: 'aliases' },
      { field: 'description', victimId: other.id, via: 'name' },
    ]);
  });
});
