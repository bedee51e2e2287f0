import { namesVictim, storedTextQuery, textAsRead, victimCandidateQueries, VictimMatcher } from '../../src/resolution/victimText';

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

  it('ignores characters a reader does not see: soft hyphens, zero-width spaces and joiners, word joiners', () => {
    const quang = { id: 'person:v', name: 'Quang Veridian' };
    expect(namesVictim('Police were told about Qu\u200Bang Veri\u00ADdian.', quang)).toBe(true);
    expect(namesVictim('\uFEFFQuang\u2060 Veri\u200Ddian', quang)).toBe(true);
    expect(namesVictim('据报道陈\u200B志被转移', { id: 'person:v', name: '陈志' })).toBe(true);
    // The candidate query asks for the word as a reader sees it.
    expect(victimCandidateQueries(['Quill\u00ADfeather'])).toEqual([`"quill\u00adfeather" quillfeather`]);
  });

  it('reads letters of other scripts that look like Latin ones as those letters, and only those', () => {
    // Cyrillic А, о and і; a Greek ο; a dotless ı: the name a reader sees.
    expect(namesVictim('Police were told about \u0410n\u043eng Qu\u0456llfeather.', anong)).toBe(true);
    expect(namesVictim('N\u03bfng Qu\u0131ll at the gate', anong)).toBe(true);
    // The candidate query also asks for the name shown, so the victim is found in the index.
    expect(victimCandidateQueries(['\u0410n\u043eng'])).toEqual(['\u0430n\u043eng anong']);
    // A name in Cyrillic is still its own name; its look-alikes are read the same way on both sides.
    const olha = { id: 'person:v', name: 'Ольга Петренко' };
    expect(namesVictim('Ольга Петренко was moved', olha)).toBe(true);
    expect(namesVictim('ОЛЬГА ПЕТРЕНКО moved', olha)).toBe(true);
    // Capitals that look Latin though their lower case does not (a Cyrillic В, a Greek Κ): read before case is folded.
    expect(namesVictim('Guards \u0412rannoch Weller and \u039Aiet', { id: 'person:v', name: 'Brannoch Weller' })).toBe(true);
    expect(textAsRead(['Guards \u0412rannoch Weller'])).toBe('guards brannoch weller');
    // A name with a look-alike of its own is found as text without it writes it, in the text and in stored text.
    const yildiz = { id: 'person:v', name: 'Ay\u015Fe Y\u0131ld\u0131z' };
    expect(namesVictim('seen with Ayse Yildiz', yildiz)).toBe(true);
    expect(namesVictim('seen with Ay\u015Fe Y\u0131ld\u0131z', yildiz)).toBe(true);
    expect(storedTextQuery(yildiz.name)).toBe('(+ayse +y\u0131ld\u0131z) OR (+ayse +yildiz)');
    // A name whose words read as generic ones ("Dеmо Vіctіm" with Cyrillic е, о and і) has no read alternative: an empty
    // one, "()", is a Lucene syntax error that failed the load.
    expect(storedTextQuery('D\u0435m\u043E V\u0456ct\u0456m')).toBe('(+d\u0435m\u043E +v\u0456ct\u0456m)');
    // ASCII is left alone: a digit is not a letter ("An0ng"), and "m" is not "rn".
    expect(namesVictim('An0ng Sukjai', { id: 'person:v', name: 'Anong Sukjai' })).toBe(false);
    expect(namesVictim('Kirn Sopheap', { id: 'person:v', name: 'Kim Sopheap' })).toBe(false);
  });

  it('gives stored text its words as a reader sees them only where Lucene would not index them so', () => {
    expect(textAsRead(['Guards Bran\u00ADnoch Weller work here.', null, 'A plain note'])).toBe('guards brannoch weller work here');
    expect(textAsRead(['Seen with \u0405aoirse', 'and Qu\u200Bang'])).toBe('seen with saoirse | and quang');
    expect(textAsRead(['据报道陈\u200B志被转移'])).toBe('据报道陈志被转移');
    // Text that reads as written needs none: nearly all of it, accents and other scripts included.
    expect(textAsRead(['Seen with Ánong Quillfeather', 'Ольга Петренко', '据报道陈志被转移', '', null])).toBeUndefined();
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

describe('names in scripts written without spaces between words', () => {
  const chen = { id: 'person:v-cn', name: '陈志' };
  const somchai = { id: 'person:v-th', name: 'สมชาย ใจดี', aliases: ['Somchai Jaidee'] };
  const aung = { id: 'person:v-mm', name: 'အောင်ကျော်' };

  it('finds the name as a run of characters inside a longer run, spaces and punctuation ignored', () => {
    expect(namesVictim('据报道陈志被转移到另一个园区', chen)).toBe(true);
    expect(namesVictim('据报道 陈 · 志 被转移', chen)).toBe(true);
    expect(namesVictim('ผู้เสียหายสมชายใจดีถูกย้ายไปยังอีกแห่ง', somchai)).toBe(true);
    expect(namesVictim('ผู้เสียหาย สมชาย ใจดี ถูกย้าย', somchai)).toBe(true);
    expect(namesVictim('ဒုက္ခသည်အောင်ကျော်ကိုရောင်းချခဲ့သည်', aung)).toBe(true);
    // Full-width and half-width forms are one (NFKC), and NFKC comes before symbols are dropped: the enclosed ㊥ is 中.
    expect(namesVictim('ｶﾀｶﾅ', { id: 'person:v-jp', name: 'カタカナ' })).toBe(true);
    expect(namesVictim('据报道陈㊥被转移', { id: 'person:v', name: '陈中' })).toBe(true);
    // The Latin alias is still found as words.
    expect(namesVictim('Somchai Jaidee was moved', somchai)).toBe(true);
  });

  it('keeps vowel and tone marks, needs two characters, and does not find another run', () => {
    // น้ำฝน (Namfon) and นำฝน differ by a tone mark only.
    const namfon = { id: 'person:v', name: 'น้ำฝน ใจดี' };
    expect(namesVictim('ผู้เสียหายน้ำฝนใจดีถูกย้าย', namfon)).toBe(true);
    expect(namesVictim('ผู้นำฝนใจดี', namfon)).toBe(false);
    expect(namesVictim('ผู้เสียหายสมชัยใจดีถูกย้าย', somchai)).toBe(false);
    expect(namesVictim('陈被转移', { id: 'person:v', name: '陈' })).toBe(false);
    expect(namesVictim('陈某被转移', chen)).toBe(false);
    expect(namesVictim('Chen Zhi was moved', chen)).toBe(false);
  });

  it('finds both parts of a mixed name: the unspaced run and the words', () => {
    const mixed = { id: 'person:v', name: 'Chen Zhi 陈志' };
    expect(namesVictim('据报道陈志被转移', mixed)).toBe(true);
    expect(namesVictim('Chen Zhi was moved', mixed)).toBe(true);
    expect(new VictimMatcher([chen, somchai, aung]).find('陈志和สมชายใจดี')).toEqual([
      { victimId: chen.id, via: 'name' },
      { victimId: somchai.id, via: 'name' },
    ]);
  });

  it('finds a Japanese name in either kana', () => {
    const sakura = { id: 'person:v-jp', name: '佐藤さくら' };
    expect(namesVictim('佐藤サクラが移送された', sakura)).toBe(true);
    expect(namesVictim('ｻﾄｳ ｻｸﾗ', { id: 'person:v', name: 'さとう さくら' })).toBe(true);
    expect(namesVictim('佐藤サクマが移送された', sakura)).toBe(false);
  });

  it('finds a Korean name joined to its particle, or spaced', () => {
    const minjun = { id: 'person:v-ko', name: '김민준' };
    expect(namesVictim('김민준이 다른 단지로 이송되었다', minjun)).toBe(true);
    expect(namesVictim('피해자 김민준은 구조되었다', minjun)).toBe(true);
    expect(namesVictim('김 민준 씨', minjun)).toBe(true);
    expect(namesVictim('김민수가 이송되었다', minjun)).toBe(false);
    expect(storedTextQuery('김민준')).toBe('(+("김민준" OR *김민준*))');
  });

  it('finds a Chinese name however its characters are written: simplified, traditional, regional forms, shinjitai', () => {
    expect(namesVictim('據報道陳志被轉移到另一個園區', chen)).toBe(true);
    expect(namesVictim('据报道陈志被转移', { id: 'person:v', name: '陳誌' })).toBe(true);
    // Taiwan's 臺 and the common 台, Hong Kong's 裏 and 裡, Japanese 広 and 廣.
    expect(namesVictim('他在台湾', { id: 'person:v', name: '臺灣' })).toBe(true);
    expect(namesVictim('住在裏村', { id: 'person:v', name: '裡村' })).toBe(true);
    expect(namesVictim('広田は移送された', { id: 'person:v', name: '廣田' })).toBe(true);
    // Another character is still another name.
    expect(namesVictim('據報道陳某被轉移', chen)).toBe(false);
  });

  it('asks the text indexes for each piece as a phrase in each spelling, or inside a longer token', () => {
    expect(storedTextQuery('陈志')).toBe('(+("陈志" OR "陈誌" OR "陳志" OR "陳誌"))');
    expect(storedTextQuery('陳志')).toBe(storedTextQuery('陈志'));
    expect(storedTextQuery('สมชาย ใจดี')).toBe('(+("สมชาย" OR *สมชาย*) +("ใจดี" OR *ใจดี*))');
    // Kana in both forms: hiragana a character to a token, katakana a run to a token.
    expect(storedTextQuery('カタカナ')).toBe('(+("かたかな" OR *かたかな* OR "カタカナ" OR *カタカナ*))');
    expect(storedTextQuery('Chen Zhi 陈志')).toBe('(+chen +zhi) OR (+("陈志" OR "陈誌" OR "陳志" OR "陳誌"))');
    expect(storedTextQuery('陈')).toBeNull();
    // More than 16 spellings: each Chinese character in any spelling, anywhere (台 has five, 发 five).
    expect(storedTextQuery('台发')).toBe('(+("台" OR "枱" OR "檯" OR "臺" OR "颱") +("发" OR "発" OR "發" OR "髪" OR "髮"))');
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
