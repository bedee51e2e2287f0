import { buildSlice, toCytoscapeElements, toGraphEdge, toGraphNode, type SliceViewer } from '../../src/network/graphSlice';
import type { NodeRecord } from '../../src/node/node.model';
import { pseudonymFor } from '../../src/person/pseudonym';
import type { Role } from '../../src/auth/viewer';

// The slice builders write properties field by field (no object spreads, for speed); these pin what each
// viewer sees, key order included, since the answers are serialised in that order.
const SECRET = 'graph-slice-test-secret-0123456789';
const sliceFor = (role: Role): SliceViewer => ({ viewer: { role, keyId: null, keyName: null }, pseudonymSecret: SECRET, identityReads: new Set() });

const victim = (): NodeRecord =>
  ({
    id: 'person:test-victim-1',
    label: 'Person',
    name: 'Identity That Must Stay Hidden',
    aliases: ['Hidden Alias'],
    nationality: 'ke',
    gender: 'female',
    birthDate: '1999',
    roles: ['victim', 'witness'],
    ageBand: '20-29',
    victim: true,
    synthetic: true,
    dataset: 'test',
    sources: ['source:test'],
  }) as unknown as NodeRecord;

describe('toGraphNode', () => {
  it('gives a journalist a victim as pseudonym and age band only', () => {
    const node = toGraphNode(victim(), sliceFor('journalist'));
    const pseudonym = pseudonymFor('person:test-victim-1', SECRET);
    expect(node).toEqual({ id: 'person:test-victim-1', label: pseudonym, type: 'PERSON', properties: expect.any(Object) });
    expect(Object.entries(node!.properties)).toEqual([
      ['dataset', 'test'],
      ['synthetic', true],
      ['sources', ['source:test']],
      ['isVictim', true],
      ['pseudonym', pseudonym],
      ['roles', ['victim']],
      ['ageBand', '20-29'],
    ]);
    expect(JSON.stringify(node)).not.toContain('Hidden');
  });

  it('gives an investigator the identity and notes the read', () => {
    const slice = sliceFor('investigator');
    const node = toGraphNode(victim(), slice);
    expect(node?.label).toBe('Identity That Must Stay Hidden');
    expect(Object.keys(node!.properties)).toEqual([
      'dataset', 'synthetic', 'sources', 'isVictim', 'pseudonym', 'roles', 'ageBand', 'name', 'aliases', 'nationality', 'gender', 'birthDate',
    ]);
    expect(node!.properties.roles).toEqual(['victim', 'witness']);
    expect([...slice.identityReads]).toEqual(['person:test-victim-1']);
  });

  it('leaves a victim out for the public, and a retired node for everyone', () => {
    expect(toGraphNode(victim(), sliceFor('public'))).toBeNull();
    const retired = { id: 'compound:gone', label: 'Compound', name: 'Gone', retiredAt: '2026-01-01' } as unknown as NodeRecord;
    expect(toGraphNode(retired, sliceFor('admin'))).toBeNull();
  });

  it('keeps the key properties of a type that hold a value, in a fixed order', () => {
    const compound = {
      id: 'compound:test',
      label: 'Compound',
      city: 'Shwe Kokko',
      name: 'Test Park',
      country: 'mm',
      region: null,
      description: 'not a key property',
      victim: false,
      synthetic: false,
      dataset: 'public-record',
      sources: [],
    } as unknown as NodeRecord;
    const node = toGraphNode(compound, sliceFor('public'));
    expect(node).toEqual({ id: 'compound:test', label: 'Test Park', type: 'COMPOUND', properties: expect.any(Object) });
    expect(Object.entries(node!.properties)).toEqual([
      ['dataset', 'public-record'],
      ['synthetic', false],
      ['sources', []],
      ['name', 'Test Park'],
      ['country', 'mm'],
      ['city', 'Shwe Kokko'],
    ]);
    const person = { id: 'person:p', label: 'Person', name: 'P', victim: false, synthetic: false, dataset: 'd', sources: [] } as unknown as NodeRecord;
    expect(toGraphNode(person, sliceFor('public'))?.properties).toEqual({ dataset: 'd', synthetic: false, sources: [], name: 'P', isVictim: false });
  });
});

describe('buildSlice and toCytoscapeElements', () => {
  const a = { id: 'compound:b', label: 'B', type: 'COMPOUND' as const, properties: { name: 'B', id: 'not the id' } };
  const b = { id: 'compound:a', label: 'A', type: 'COMPOUND' as const, properties: { name: 'A' } };
  const edge = toGraphEdge({ id: 'rel:2', type: 'TRADES_WITH', source: 'compound:a', target: 'compound:b', props: { role: 'buyer', key: 'k' } });
  const dangling = toGraphEdge({ id: 'rel:1', type: 'TRADES_WITH', source: 'compound:a', target: 'compound:hidden', props: {} });

  it('sorts by id, drops edges to nodes not in the slice and names the ends both ways', () => {
    const slice = buildSlice([a, b], [edge, dangling], true);
    expect(slice.nodes.map((n) => n.id)).toEqual(['compound:a', 'compound:b']);
    expect(slice.edges).toEqual([
      {
        id: 'rel:2',
        source: 'compound:a',
        target: 'compound:b',
        type: 'TRADES_WITH',
        label: 'buyer',
        properties: { role: 'buyer', key: 'k', sources: [] },
        from: 'compound:a',
        to: 'compound:b',
      },
    ]);
    expect(slice.truncated).toBe(true);
  });

  it('copies properties into data, with id, label and type winning', () => {
    expect(toCytoscapeElements([a], [edge])).toEqual([
      { group: 'nodes', data: { name: 'B', id: 'compound:b', label: 'B', type: 'COMPOUND' } },
      {
        group: 'edges',
        data: { role: 'buyer', key: 'k', sources: [], id: 'rel:2', source: 'compound:a', target: 'compound:b', type: 'TRADES_WITH', label: 'buyer' },
      },
    ]);
  });
});
