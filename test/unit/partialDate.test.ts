import { dateRange, isPartialDate } from '../../src/common/partialDate';
import { foldAccents, toLuceneQuery } from '../../src/search/luceneQuery';
import { encodeCursor, readPage, toConnection } from '../../src/common/pagination';

describe('dateRange', () => {
  it('gives the period a partial date covers', () => {
    expect(dateRange('2025')).toEqual({ start: '2025-01-01', end: '2025-12-31', precision: 'year' });
    expect(dateRange('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29', precision: 'month' });
    expect(dateRange('2025-07-04')).toEqual({ start: '2025-07-04', end: '2025-07-04', precision: 'day' });
  });

  it.each(['2025-13', '2025-02-30', '25', '2025-7', '2025-07-04T00:00', '', 'July 2025', '0999', '2025-00', '2025-07-00', '2025/07', '2025-0a', '２０２５', '2023-02-29', '1900-02-29'])(
    'rejects %j',
    (value) => {
      expect(isPartialDate(value)).toBe(false);
      expect(dateRange(value)).toBeUndefined();
    },
  );

  it('accepts exactly the days of the calendar, leap days included', () => {
    for (const year of [1000, 1900, 2000, 2023, 2024, 2100, 9999]) {
      for (let month = 0; month <= 13; month += 1) {
        const mm = String(month).padStart(2, '0');
        expect(isPartialDate(`${year}-${mm}`)).toBe(month >= 1 && month <= 12);
        for (let day = 0; day <= 32; day += 1) {
          const value = `${year}-${mm}-${String(day).padStart(2, '0')}`;
          const real = month >= 1 && month <= 12 && day >= 1 && new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day;
          expect([value, isPartialDate(value)]).toEqual([value, real]);
          expect([value, dateRange(value) !== undefined]).toEqual([value, real]);
        }
      }
    }
    expect(dateRange('2000-02')?.end).toBe('2000-02-29');
    expect(dateRange('1900-02')?.end).toBe('1900-02-28');
  });
});

describe('toLuceneQuery', () => {
  it('folds case and accents and makes every word a prefix', () => {
    expect(toLuceneQuery('Chén ZH')).toBe('(chen OR chen*) AND (zh OR zh*)');
  });

  it('folds text outside printable ASCII (tabs, precomposed and combining accents) and leaves ASCII as it is', () => {
    expect(toLuceneQuery('Chen\tZhi')).toBe('(chen OR chen*) AND (zhi OR zhi*)');
    expect(toLuceneQuery('Nguye\u0302\u0303n')).toBe('(nguyen OR nguyen* OR nguyen~1)');
    expect(foldAccents('Ánong Quillfeather')).toBe('Anong Quillfeather');
    expect(foldAccents('O\'Dowd-Smith 12')).toBe('O\'Dowd-Smith 12');
  });

  it('adds one-typo matching to longer words', () => {
    expect(toLuceneQuery('prince')).toBe('(prince OR prince* OR prince~1)');
  });

  it('strips Lucene syntax so input is never interpreted', () => {
    expect(toLuceneQuery('name:"x" OR *:* AND (a')).toBe('(name OR name*) AND (x OR x*) AND (or OR or*) AND (and OR and*) AND (a OR a*)');
    expect(toLuceneQuery('*** ?? ')).toBeUndefined();
  });
});

describe('pagination', () => {
  it('round-trips cursors through pages', () => {
    const first = toConnection(['a', 'b', 'c'], readPage(3, null), 5);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = readPage(3, first.pageInfo.endCursor);
    expect(second).toEqual({ offset: 3, first: 3 });
  });

  it('hands out the same cursor for a row every time, within and beyond the cached first rows', () => {
    for (const offset of [0, 9_999, 10_000, 123_456]) {
      const cursor = encodeCursor(offset);
      expect(encodeCursor(offset)).toBe(cursor);
      expect(readPage(1, cursor).offset).toBe(offset + 1);
    }
  });

  it('rejects a forged cursor and an oversized page with BAD_USER_INPUT', () => {
    expect(() => readPage(10, 'bm9wZQ')).toThrow('"after"');
    expect(() => readPage(1000, null)).toThrow('"first"');
  });
});
