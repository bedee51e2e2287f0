import { endsBeforeStart } from '../../src/common/partialDate';
import { MAX_NAME_LENGTH, RELATION_ENDS, relationEndsFit, type RelationEndKind } from '../../src/ingest/dataset.model';
import { DatasetValidationError, prepareDataset } from '../../src/ingest/loadDataset';
import { RELATION_TYPES } from '../../src/relation/relation.model';

const SOURCE = 'source:rules';
const source = { id: SOURCE, title: 'Rules', reliability: 'C', kind: 'report' };
const cited = { sources: [SOURCE] };

/** The problems prepareDataset finds in `input` (`path: message`), or [] when it accepts it. */
function problemsOf(input: Record<string, unknown>): string[] {
  try {
    return prepareDataset({ sources: [source], ...input }).problems.map((issue) => `${issue.path}: ${issue.message}`);
  } catch (error) {
    if (error instanceof DatasetValidationError) return error.problems;
    throw error;
  }
}

describe('names fit the range index on name', () => {
  const NAME_TOO_LONG = `must be at most ${MAX_NAME_LENGTH} characters (names are indexed; put longer text in the description)`;

  it('accepts a name of the longest length, in any script, whose UTF-8 stays far below the index key limit of about 8 100 bytes', () => {
    // Three bytes is the most UTF-8 takes per UTF-16 code unit (a surrogate pair is two units and four bytes).
    for (const name of ['a'.repeat(MAX_NAME_LENGTH), '陳'.repeat(MAX_NAME_LENGTH), '\u{1F600}'.repeat(MAX_NAME_LENGTH / 2)]) {
      expect(name.length).toBe(MAX_NAME_LENGTH);
      expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(3 * MAX_NAME_LENGTH);
      expect(problemsOf({ persons: [{ id: 'person:long', name, ...cited }] })).toEqual([]);
    }
    expect(3 * MAX_NAME_LENGTH).toBeLessThan(8000);
  });

  it('refuses a longer name of a person, organisation or compound, naming the field', () => {
    const name = '陳'.repeat(MAX_NAME_LENGTH + 1);
    expect(
      problemsOf({
        persons: [{ id: 'person:long', name, ...cited }],
        organisations: [{ id: 'organisation:long', name, kind: 'company', ...cited }],
        compounds: [{ id: 'compound:long', name, ...cited }],
      }),
    ).toEqual([`persons[0].name: ${NAME_TOO_LONG}`, `organisations[0].name: ${NAME_TOO_LONG}`, `compounds[0].name: ${NAME_TOO_LONG}`]);
  });

  it('keeps the limit of other text, which no range index holds', () => {
    const long = 'x'.repeat(10_000);
    expect(problemsOf({ persons: [{ id: 'person:short', name: 'Short', aliases: [long], description: long, ...cited }] })).toEqual([]);
  });
});

describe('source URLs are http or https', () => {
  const withUrl = (url: string) => ({ sources: [{ ...source, url }] });

  it('accepts http and https URLs', () => {
    for (const url of ['https://example.org/report?id=3#p2', 'http://192.0.2.1:8080/a', 'HTTPS://EXAMPLE.ORG/']) {
      expect(problemsOf(withUrl(url))).toEqual([]);
    }
  });

  it('refuses any other scheme, a URL without a host, and one with spaces or control characters, naming the field', () => {
    const urls = [
      'javascript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'ftp://example.org/file', 'mailto:a@example.org',
      '//example.org/report', 'https://', 'http:example.org', ' https://example.org', 'https://exa mple.org', 'https://example.org/\n', 'example.org',
    ];
    for (const url of urls) {
      expect(problemsOf(withUrl(url))).toEqual(['sources[0].url: must be an http or https URL, such as https://example.org/report']);
    }
  });
});

describe('a compound location is both coordinates or neither', () => {
  const compound = (extra: Record<string, unknown>) => ({ compounds: [{ id: 'compound:loc', name: 'Loc', ...cited, ...extra }] });

  it('accepts both and neither', () => {
    expect(problemsOf(compound({ latitude: 10.6, longitude: 103.5 }))).toEqual([]);
    expect(problemsOf(compound({ latitude: 0, longitude: 0 }))).toEqual([]);
    expect(problemsOf(compound({}))).toEqual([]);
    expect(problemsOf(compound({ latitude: null, longitude: null }))).toEqual([]);
  });

  it('refuses one without the other, naming the missing one', () => {
    expect(problemsOf(compound({ latitude: 10.6 }))).toEqual(['compounds[0].longitude: is missing while latitude is given: give both or neither']);
    expect(problemsOf(compound({ latitude: 10.6, longitude: null }))).toEqual([
      'compounds[0].longitude: is missing while latitude is given: give both or neither',
    ]);
    expect(problemsOf(compound({ latitude: null, longitude: 103.5 }))).toEqual([
      'compounds[0].latitude: is missing while longitude is given: give both or neither',
    ]);
  });
});

describe('an end lies not wholly before its start', () => {
  it('compares the periods partial dates cover', () => {
    expect(endsBeforeStart('2025', '2020')).toBe(true);
    expect(endsBeforeStart('2024-05-14', '2024-05-13')).toBe(true);
    expect(endsBeforeStart('2024-06', '2024-05-31')).toBe(true);
    expect(endsBeforeStart('2024-05', '2024-05-14')).toBe(false);
    expect(endsBeforeStart('2024-05-14', '2024-05')).toBe(false);
    expect(endsBeforeStart('2024', '2024-01')).toBe(false);
    expect(endsBeforeStart('2024-05-14', '2024-05-14')).toBe(false);
    expect(endsBeforeStart('2025', null)).toBe(false);
    expect(endsBeforeStart(undefined, '2020')).toBe(false);
  });

  it('refuses an event that ends before its date, naming endDate', () => {
    const event = (date: string | null, endDate: string | null) => ({ events: [{ id: 'event:dated', kind: 'other', title: 'Dated', date, endDate, ...cited }] });
    expect(problemsOf(event('2025', '2020'))).toEqual(["events[0].endDate: 2020 ends before the event's date 2025 begins"]);
    expect(problemsOf(event('2024-05-14', '2024-05-13'))).toEqual(["events[0].endDate: 2024-05-13 ends before the event's date 2024-05-14 begins"]);
    for (const [date, endDate] of [['2024-05', '2024-05-14'], ['2024-05-14', '2024-05'], ['2020', '2025'], [null, '2020'], ['2025', null]] as const) {
      expect(problemsOf(event(date, endDate))).toEqual([]);
    }
  });

  it('refuses a relationship that ends before it starts, naming end', () => {
    const rel = (start: string, end: string) => ({
      relationships: [{ type: 'ASSOCIATE_OF', from: 'person:a', to: 'person:b', start, end, ...cited }],
    });
    expect(problemsOf(rel('2025', '2020'))).toEqual(["relationships[0].end: 2020 ends before the relationship's start 2025 begins"]);
    expect(problemsOf(rel('2023', '2023-12'))).toEqual([]);
  });
});

describe('relationship ends follow the table of seed/FORMAT.md', () => {
  const KINDS: RelationEndKind[] = ['person', 'organisation', 'compound'];
  const rel = (type: string, from: string, to: string) => ({ relationships: [{ type, from, to, ...cited }] });

  it('accepts every type between the kinds its row allows and refuses it between any others', () => {
    for (const type of RELATION_TYPES) {
      for (const fromKind of KINDS) {
        for (const toKind of KINDS) {
          const allowed = RELATION_ENDS[type].from.includes(fromKind) && RELATION_ENDS[type].to.includes(toKind);
          expect(relationEndsFit(type, fromKind, toKind)).toBe(allowed);
          const problems = problemsOf(rel(type, `${fromKind}:one`, `${toKind}:two`));
          expect({ type, fromKind, toKind, accepted: problems.length === 0 }).toEqual({ type, fromKind, toKind, accepted: allowed });
        }
      }
    }
  });

  it('keeps the table of the format', () => {
    const table = Object.fromEntries(RELATION_TYPES.map((type) => [type, `${RELATION_ENDS[type].from.join('|')} -> ${RELATION_ENDS[type].to.join('|')}`]));
    expect(table).toEqual({
      LEADS: 'person -> organisation',
      MEMBER_OF: 'person -> organisation',
      EMPLOYED_BY: 'person -> organisation',
      PART_OF: 'organisation -> organisation',
      OWNS: 'organisation|person -> organisation',
      AFFILIATED_WITH: 'organisation -> organisation',
      OPERATES: 'organisation|person -> compound',
      PROTECTS: 'organisation -> compound',
      WORKS_AT: 'person -> compound',
      ASSOCIATE_OF: 'person -> person',
      FAMILY_OF: 'person -> person',
      RELOCATED_TO: 'compound -> compound',
    });
  });

  it('names the wrong end and the kinds it may be', () => {
    expect(problemsOf(rel('LEADS', 'compound:jinbei', 'person:chen-zhi'))).toEqual([
      'relationships[0].from: LEADS must go from a person, not a compound',
      'relationships[0].to: LEADS must go to an organisation, not a person',
    ]);
    expect(problemsOf(rel('OPERATES', 'compound:a', 'compound:b'))).toEqual([
      'relationships[0].from: OPERATES must go from an organisation or a person, not a compound',
    ]);
  });

  it('refuses a relationship from an entity to itself, naming to', () => {
    expect(problemsOf(rel('ASSOCIATE_OF', 'person:chen-zhi', 'person:chen-zhi'))).toEqual([
      'relationships[0].to: is the same as from: a relationship joins two different entities',
    ]);
    expect(problemsOf(rel('PART_OF', 'organisation:x', 'organisation:x'))).toEqual([
      'relationships[0].to: is the same as from: a relationship joins two different entities',
    ]);
  });
});

describe('sources', () => {
  it('keeps each cited source once, in the order first listed', () => {
    const prepared = prepareDataset({
      sources: [source, { id: 'source:other', title: 'Other', reliability: 'B', kind: 'news' }],
      persons: [{ id: 'person:twice', name: 'Cited Twice', sources: [SOURCE, 'source:other', SOURCE] }],
      relationships: [{ type: 'ASSOCIATE_OF', from: 'person:twice', to: 'person:chen-zhi', sources: ['source:other', 'source:other'] }],
    });
    expect(prepared.problems).toEqual([]);
    expect(prepared.doc.persons[0]!.sources).toEqual([SOURCE, 'source:other']);
    expect(prepared.doc.relationships[0]!.sources).toEqual(['source:other']);
  });
});
