import { nameKey, nameKeys, nameSimilarity } from '../../src/resolution/names';
import { scorePair } from '../../src/resolution/scoring';
import { identifyingIdTokens } from '../../src/resolution/victimIds';

describe('nameKey', () => {
  it('folds case, accents, punctuation and word order onto one key', () => {
    expect(['Chen Zhi', 'Zhi Chen', 'CHEN ZHI', 'Chén Zhì', 'chen-zhi'].map(nameKey)).toEqual(Array(5).fill('chen zhi'));
  });

  it('unifies transliteration variants', () => {
    expect(nameKey('Tsai Ing')).toBe(nameKey('Cai Ing'));
    expect(nameKey('Mohamed Ali')).toBe(nameKey('Muhammad Ali'));
  });

  it('gives one key per distinct name and alias', () => {
    expect(nameKeys('Chen Zhi', ['Zhi Chen', 'Vincent Chen'])).toEqual(['chen vincent', 'chen zhi']);
  });
});

describe('scorePair', () => {
  it('adds name, date, country and neighbour evidence', () => {
    expect(nameSimilarity(['Chen Zhi'], ['Li Wei', 'ZHI CHEN'])).toBe(1);
    expect(scorePair({ name: 'Chen Zhi', birthDate: '1987-12', nationality: ['cn'] }, { name: 'Zhi Chen', birthDate: '1987' , nationality: ['cn'] }, 2)).toEqual({
      score: 0.95,
      reasons: ['name', 'birthDate', 'country', '2 shared neighbours'],
    });
    expect(scorePair({ name: 'Chen Zhi', birthDate: '1987' }, { name: 'Chen Zhi', birthDate: '1990' }, 0)).toEqual({
      score: 0.25,
      reasons: ['name', 'different birthDate'],
    });
  });
});

describe('identifyingIdTokens', () => {
  it('finds name tokens in a victim id, ignoring generic words', () => {
    expect(identifyingIdTokens('person:victim-anong-k', 'Anong Kaew', [])).toEqual(['anong']);
    expect(identifyingIdTokens('person:v-1-kaewmala', 'X', ['Kaewmala'])).toEqual(['kaewmala']);
    expect(identifyingIdTokens('person:demo-victim-0001', 'Demo Victim Anong Quillfeather (pseudonym)', ['Nong Quill (demo alias)'])).toEqual([]);
  });
});
