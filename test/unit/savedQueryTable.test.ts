import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { flattenResult } from '../../src/saved/flatten';
import { toCsv } from '../../src/saved/csv';
import { median, priceStatistics } from '../../src/insights/insights.model';

function table(document: string, data: Record<string, unknown>) {
  const doc = parse(document);
  const operation = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const fragments = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]));
  return flattenResult(operation, fragments, data);
}

describe('flattenResult', () => {
  it('gives one row per leaf list item with parent values repeated, and folds sources into one column', () => {
    const result = table('{ compounds { nodes { id aliases sources { id title } operators { other { name } sources { id } } } } }', {
      compounds: {
        nodes: [
          { id: 'c1', aliases: ['A', 'B'], sources: [{ id: 's1', title: 'One' }], operators: [{ other: { name: 'X' }, sources: [{ id: 's2' }] }, { other: { name: 'Y' }, sources: [{ id: 's1' }] }] },
          { id: 'c2', aliases: [], sources: [], operators: [] },
        ],
      },
    });
    expect(result).toEqual({
      columns: ['compounds.nodes.id', 'compounds.nodes.aliases', 'compounds.nodes.operators.other.name', 'sources'],
      rows: [
        { 'compounds.nodes.id': 'c1', 'compounds.nodes.aliases': 'A; B', 'compounds.nodes.operators.other.name': 'X', sources: 'One (s1); s2' },
        { 'compounds.nodes.id': 'c1', 'compounds.nodes.aliases': 'A; B', 'compounds.nodes.operators.other.name': 'Y', sources: 'One (s1); s1' },
        { 'compounds.nodes.id': 'c2', 'compounds.nodes.aliases': '', 'compounds.nodes.operators.other.name': null, sources: '' },
      ],
    });
  });

  it('stacks sibling lists instead of multiplying them, and takes columns from the document through fragments', () => {
    const result = table('query { x: node(id: "n") { id ...F } } fragment F on T { a { v } ... on T { b { w } } }', {
      x: { id: 'n', a: [{ v: 1 }, { v: 2 }], b: [{ w: 3 }, { w: 4 }] },
    });
    expect(result.columns).toEqual(['x.id', 'x.a.v', 'x.b.w', 'sources']);
    expect(result.rows).toEqual([
      { 'x.id': 'n', 'x.a.v': 1, 'x.b.w': null, sources: '' },
      { 'x.id': 'n', 'x.a.v': 2, 'x.b.w': null, sources: '' },
      { 'x.id': 'n', 'x.a.v': null, 'x.b.w': 3, sources: '' },
      { 'x.id': 'n', 'x.a.v': null, 'x.b.w': 4, sources: '' },
    ]);
  });

  it('gives no row for an empty answer but keeps the columns', () => {
    expect(table('{ list { id } }', { list: [] })).toEqual({ columns: ['list.id', 'sources'], rows: [] });
  });
});

describe('toCsv', () => {
  it('quotes per RFC 4180, ends lines with CRLF and starts with a BOM', () => {
    expect(toCsv(['a', 'b'], [{ a: 'x, "y"', b: null }, { a: 'line\nbreak', b: true }])).toBe('\uFEFFa,b\r\n"x, ""y""",\r\n"line\nbreak",true\r\n');
    expect(toCsv(['a'], [], { bom: false })).toBe('a\r\n');
  });

  it('makes text a spreadsheet would run as a formula show as text, and leaves numbers alone', () => {
    const rows = [
      { a: '=HYPERLINK("http://example.invalid","x")', b: -4500 },
      { a: '+1 555', b: 0 },
      { a: '-sold', b: 1.5 },
      { a: '@SUM(A1)', b: null },
      { a: 'Jade Harbour = compound', b: 2 },
    ];
    expect(toCsv(['a', 'b'], rows, { bom: false })).toBe(
      'a,b\r\n"\'=HYPERLINK(""http://example.invalid"",""x"")",-4500\r\n\'+1 555,0\r\n\'-sold,1.5\r\n\'@SUM(A1),\r\nJade Harbour = compound,2\r\n',
    );
  });
});

describe('price statistics', () => {
  it('takes the mean of the middle values for an even count, per currency in currency order', () => {
    expect(median([9000, 8000])).toBe(8500);
    const events = [
      { id: 'event:a', price: 9500, currency: 'USDT' },
      { id: 'event:b', price: 8000, currency: 'USD' },
      { id: 'event:c', price: 10000, currency: 'USDT' },
      { id: 'event:d', currency: 'USD' },
    ];
    expect(priceStatistics(events)).toEqual([
      { currency: 'USD', count: 1, min: 8000, median: 8000, max: 8000, disputed: 0 },
      { currency: 'USDT', count: 2, min: 9500, median: 9750, max: 10000, disputed: 0 },
    ]);
  });

  it('counts the disputed prices of each currency, and leaves a disputed transfer without a price out of them', () => {
    const events = [
      { id: 'event:a', price: 9500, currency: 'USDT' },
      { id: 'event:b', price: 8000, currency: 'USD' },
      { id: 'event:c', price: 10000, currency: 'USDT' },
      { id: 'event:d', currency: 'USD' },
    ];
    expect(priceStatistics(events, new Set(['event:c', 'event:d'])).map(({ currency, count, disputed }) => ({ currency, count, disputed }))).toEqual([
      { currency: 'USD', count: 1, disputed: 0 },
      { currency: 'USDT', count: 2, disputed: 1 },
    ]);
  });
});
