import { foldHan, hanSpellings } from '../../src/resolution/hanVariants';

describe('one spelling for a Chinese character however it is written', () => {
  it('folds traditional, Taiwan and Hong Kong forms and Japanese shinjitai to the simplified one, character by character', () => {
    expect(foldHan('陳志')).toBe('陈志');
    expect(foldHan('臺灣')).toBe('台湾');
    expect(foldHan('裏裡里')).toBe('里里里');
    expect(foldHan('廣広广')).toBe('广广广');
    // No phrase tables: 乾 folds the same inside 乾隆 as alone, so a name and a sentence agree.
    expect(foldHan('乾隆')).toBe(`${foldHan('乾')}${foldHan('隆')}`);
  });

  it('leaves other text as it is', () => {
    expect(foldHan('สมชาย ใจดี, Chen Zhi')).toBe('สมชาย ใจดี, Chen Zhi');
    expect(foldHan('')).toBe('');
  });

  it('lists every spelling of a folded run, the folded one first, or null past the limit', () => {
    expect(hanSpellings('陈志', 16)).toEqual(['陈志', '陈誌', '陳志', '陳誌']);
    expect(hanSpellings('发', 16)).toEqual(['发', '発', '發', '髪', '髮']);
    for (const spelling of hanSpellings('发', 16) ?? []) expect(foldHan(spelling)).toBe('发');
    expect(hanSpellings('สมชาย', 1)).toEqual(['สมชาย']);
    expect(hanSpellings('台发', 16)).toBeNull();
    expect(hanSpellings('台发', 25)).toHaveLength(25);
  });
});
