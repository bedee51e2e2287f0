import { buildSchema, parse, execute, type GraphQLResolveInfo } from 'graphql';
import { selectsField } from '../../src/common/lookahead';

/** Runs `query` over a tiny schema and reports what selectsField saw for `list`. */
function seen(query: string, name: string): boolean {
  const schema = buildSchema('type Query { list: List } type List { totalCount: Int nodes: [Int] inner: List }');
  let answer: boolean | undefined;
  execute({
    schema,
    document: parse(query),
    rootValue: {
      list: (_args: unknown, _context: unknown, info: GraphQLResolveInfo) => {
        answer = selectsField(info, [name]);
        return { totalCount: 1, nodes: [] };
      },
    },
  });
  if (answer === undefined) throw new Error('resolver did not run');
  return answer;
}

describe('selectsField', () => {
  it('finds a field selected directly, under an alias, in a fragment or an inline fragment', () => {
    expect(seen('{ list { totalCount } }', 'totalCount')).toBe(true);
    expect(seen('{ list { n: totalCount } }', 'totalCount')).toBe(true);
    expect(seen('{ list { ...F } } fragment F on List { totalCount }', 'totalCount')).toBe(true);
    expect(seen('{ list { ... on List { totalCount } } }', 'totalCount')).toBe(true);
  });

  it('does not find a field that is only selected deeper, or not at all', () => {
    expect(seen('{ list { nodes } }', 'totalCount')).toBe(false);
    expect(seen('{ list { inner { totalCount } } }', 'totalCount')).toBe(false);
    expect(seen('{ list { ...F } } fragment F on List { nodes }', 'totalCount')).toBe(false);
  });
});
