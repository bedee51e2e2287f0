import { mergeClaims } from '../../src/resolution/mergeClaims';

const MERGE = 'merge:0b7e6c1a-0000-4000-8000-000000000001';

function compound(id: string, props: Record<string, unknown>) {
  return { id, props: { dataset: 'import', synthetic: false, ...props } };
}

describe('mergeClaims', () => {
  it('claims nothing where the records agree, where only the kept record has a value, or for an empty list or the default status', () => {
    const kept = compound('compound:a', { country: 'kh', region: 'North', securityFeatures: ['guards', 'cctv'], status: 'operating', sources: ['source:a'] });
    const merged = compound('compound:b', { country: 'kh', securityFeatures: ['cctv', 'guards'], status: 'unknown', city: '  ', sources: ['source:b'] });
    expect(mergeClaims('Compound', kept, merged, [], MERGE, false)).toEqual([]);
  });

  it("writes a point as latitude, longitude and keeps each side's dataset, flag and sources", () => {
    const kept = compound('compound:a', { estimatedHeadcount: 800, sources: ['source:a'] });
    const merged = {
      id: 'compound:b',
      props: { location: { srid: 4326, x: 97.25, y: 16.5 }, estimatedHeadcount: 1500, dataset: 'demo', synthetic: true, sources: ['source:b', 'source:c'] },
    };
    const claims = mergeClaims('Compound', kept, merged, [], MERGE, false);
    expect(claims.map((c) => [c.id, c.property, c.value, c.sources, c.dataset, c.synthetic])).toEqual([
      ['claim:merge:0b7e6c1a-0000-4000-8000-000000000001:location:merged', 'location', '16.5, 97.25', ['source:b', 'source:c'], 'demo', true],
      ['claim:merge:0b7e6c1a-0000-4000-8000-000000000001:estimatedheadcount:merged', 'estimatedHeadcount', '1500', ['source:b', 'source:c'], 'demo', true],
      ['claim:merge:0b7e6c1a-0000-4000-8000-000000000001:estimatedheadcount:kept', 'estimatedHeadcount', '800', ['source:a'], 'import', false],
    ]);
    expect(claims.every((c) => c.subject === 'compound:a' && c.madeByMerge === MERGE)).toBe(true);
  });

  it('does not claim a value the claims about the kept record already give for that property', () => {
    const kept = { id: 'person:a', props: { nationality: ['kh'], gender: 'male', sources: ['source:a'] } };
    const merged = { id: 'person:b', props: { nationality: ['th', 'kh'], gender: 'female', sources: ['source:b'] } };
    const existing = [
      { property: 'nationality', value: 'kh, th' },
      { property: 'gender', value: 'male' },
    ];
    expect(mergeClaims('Person', kept, merged, existing, MERGE, false).map((c) => `${c.property}=${c.value}`)).toEqual(['nationality=kh', 'gender=female']);
  });

  it("compares a person's age band only when a victim is involved: it is shown for victims alone", () => {
    const kept = { id: 'person:a', props: { ageBand: '18-20', sources: [] } };
    const merged = { id: 'person:b', props: { ageBand: '21-23', sources: [] } };
    expect(mergeClaims('Person', kept, merged, [], MERGE, false)).toEqual([]);
    expect(mergeClaims('Person', kept, merged, [], MERGE, true).map((c) => `${c.property}=${c.value}`)).toEqual(['ageBand=21-23', 'ageBand=18-20']);
  });

  it('reads a value as a reader sees it where it hides an invisible character', () => {
    const kept = { id: 'organisation:a', props: { address: '1 Main Road', sources: [] } };
    const merged = { id: 'organisation:b', props: { address: '1 Ma\u00ADin Road', sources: [] } };
    const [fromMerged] = mergeClaims('Organisation', kept, merged, [], MERGE, false);
    expect(fromMerged?.readText).toContain('1 main road');
  });
});
