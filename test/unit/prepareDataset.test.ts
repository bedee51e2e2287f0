import { DatasetValidationError, datasetWrites, prepareDataset } from '../../src/ingest/loadDataset';

const SOURCE = 'source:prep';
const source = { id: SOURCE, title: 'Prep', reliability: 'C', kind: 'report' };
const person = (n: number, extra: Record<string, unknown> = {}) => ({ id: `person:prep-${n}`, name: `Prep ${n}`, sources: [SOURCE], ...extra });

describe('prepareDataset: a document checked before the database is asked anything', () => {
  it('throws for a wrong shape, naming each bad path', () => {
    let thrown: unknown;
    try {
      prepareDataset({ sources: [source], persons: [person(1), person(2, { birthDate: '1999-13' })] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DatasetValidationError);
    expect((thrown as DatasetValidationError).problems).toEqual(['persons[1].birthDate: must be a date of the form YYYY, YYYY-MM or YYYY-MM-DD']);
  });

  it('keeps the references it does not define for the database; the statements write what it holds', () => {
    const prepared = prepareDataset({
      sources: [source],
      persons: [person(1), person(2, { description: null })],
      relationships: [{ type: 'ASSOCIATE_OF', from: 'person:prep-1', to: 'person:elsewhere', sources: [SOURCE, 'source:elsewhere'] }],
    });
    expect(prepared.outside).toEqual([
      { path: 'relationships[0].sources[1]', id: 'source:elsewhere' },
      { path: 'relationships[0].to', id: 'person:elsewhere' },
    ]);
    expect(prepared.problems).toEqual([]);
    const writes = datasetWrites(prepared.doc);
    const persons = writes.find((w) => w.cypher.includes('MERGE (n:Person {id: row.id})'));
    const rows = persons!.params.rows as { id: string; props: Record<string, unknown> }[];
    expect(rows.map((row) => row.id)).toEqual(['person:prep-1', 'person:prep-2']);
    // Stored properties hold no nulls: `SET n = props` must not see them.
    for (const row of rows) expect(Object.values(row.props)).not.toContain(null);
    expect(writes.some((w) => w.cypher.includes('ASSOCIATE_OF'))).toBe(true);
  });

  it('keeps the problems of the document itself for the reference check', () => {
    const prepared = prepareDataset({ persons: [person(1), person(1)] });
    expect(prepared.problems).toEqual([{ path: 'persons[1].id', message: 'person:prep-1 is defined twice' }]);
  });
});
