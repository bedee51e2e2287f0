import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { mergeWaves, parseWaves, type Wave } from '../../bench/lib/recorder';

/** bench/lib/recorder.ts: a partial benchmark run re-records its queries and keeps the others' statements. */
const wave = (cypher: string, limit: number): Wave[] => [[{ mode: 'READ', cypher, params: { limit: neo4j.int(limit) } }]];

describe('the recorded statements file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'waves-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('is written whole when there was none', () => {
    const file = path.join(dir, 'waves.json');
    mergeWaves(file, { search: wave('MATCH (n) RETURN n LIMIT $limit', 20) });
    const read = parseWaves(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(read)).toEqual(['search']);
    expect(read.search?.[0]?.[0]?.params).toEqual({ limit: neo4j.int(20) });
  });

  it('keeps the queries a run did not record and replaces the ones it did', () => {
    const file = path.join(dir, 'waves.json');
    mergeWaves(file, { search: wave('old search', 20), paths: wave('paths', 3) });
    mergeWaves(file, { search: wave('new search', 10) });
    const read = parseWaves(fs.readFileSync(file, 'utf8'));
    expect(Object.keys(read).sort()).toEqual(['paths', 'search']);
    expect(read.search?.[0]?.[0]?.cypher).toBe('new search');
    expect(read.paths?.[0]?.[0]?.cypher).toBe('paths');
  });
});
