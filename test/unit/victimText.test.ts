import { namesVictim, storedTextQuery, victimCandidateQueries, VictimMatcher } from '../../src/resolution/victimText';

const anong = { id: 'person:demo-victim-0001', name: 'Demo Victim Anong Quillfeather (pseudonym)', aliases: ['Quillfeather-A (demo alias)', 'Nong Quill (demo alias)'] };

describe('the free-text rule: no text every role reads may name a victim', () => {
  it('finds the name in full, whatever the case and diacritics, and each alias', () => {
    expect(namesVictim('ANONG quillfeather was moved', anong)).toBe(true);
    expect(namesVictim('Ánong Quíllfeather, moved at night', anong)).toBe(true);
    expect(namesVictim('seen with nong-quill at the gate', anong)).toBe(true);
    // "Quillfeather-A" is the alias "quillfeather" once the one-letter token and generic words are left out.
    expect(namesVictim('Quillfeather sold on', anong)).toBe(true);
    // Short words inside a name are left out on both sides.
    expect(namesVictim('seen with María de los Santos', { id: 'person:v', name: 'Maria de los Santos' })).toBe(true);
    expect(namesVictim("minder of Ota O'Dowd", { id: 'person:v', name: "Ota O'Dowd" })).toBe(true);
  });

  it('does not find generic words, a name out of order, or part of a longer word', () => {
    expect(namesVictim('a demo victim was moved (pseudonym)', anong)).toBe(false);
    expect(namesVictim('Nong and Quill are places', { ...anong, aliases: ['Nong Quill'] })).toBe(false);
    expect(namesVictim('Quillfeathers Ltd', anong)).toBe(false);
    expect(namesVictim(null, anong)).toBe(false);
  });

  it('names each victim once, in the order given, by name when the text holds the name', () => {
    const other = { id: 'person:demo-victim-0002', name: 'Demo Victim Quang Veridian (pseudonym)' };
    const matcher = new VictimMatcher([anong, other]);
    expect(matcher.find('Quang Veridian and Nong Quill, then Quang Veridian again')).toEqual([
      { victimId: anong.id, via: 'aliases' },
      { victimId: other.id, via: 'name' },
    ]);
    expect(matcher.find('Nong Quill, also known as Anong Quillfeather')).toEqual([{ victimId: anong.id, via: 'name' }]);
    expect(matcher.find('Veridian house')).toEqual([]);
    expect(new VictimMatcher([]).find('Anong Quillfeather')).toEqual([]);
  });
});

describe('the full-text queries that find candidates for the rule', () => {
  it('asks the victim index for each identifying word once, as Lucene and as the rule split it', () => {
    expect(victimCandidateQueries(['A victim, Anong, was moved.', 'anong moved to the O\'Brien (demo) house'])).toEqual([
      `"anong," anong was "moved." moved "o'brien" brien house`,
    ]);
    expect(victimCandidateQueries(['a victim (demo)', ''])).toEqual([]);
    // Lucene's operators and special characters are quoted, never parsed.
    expect(victimCandidateQueries(['NOT Quill* (AND) +Nong "x" \\'])).toEqual([`not "quill*" quill "+nong" nong`]);
    const many = Array.from({ length: 450 }, (_, i) => `word${i}`).join(' ');
    expect(victimCandidateQueries([many]).map((query) => query.split(' ').length)).toEqual([200, 200, 50]);
  });

  it('asks the text indexes for every identifying token of a name, and its words as Lucene splits them', () => {
    expect(storedTextQuery('Demo Victim Anong Quillfeather (pseudonym)')).toBe('(+anong +quillfeather)');
    expect(storedTextQuery("Sean O'Brien")).toBe(`(+sean +brien) OR (+"sean" +"o'brien")`);
    expect(storedTextQuery('Demo Victim (pseudonym)')).toBeNull();
  });
});
