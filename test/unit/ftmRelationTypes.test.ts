import { relationEndsFit } from '../../src/ingest/dataset.model';
import { FTM_LINK_SCHEMAS, relationTypeFor, type NodeType } from '../../src/ingest/ftm.model';
import { RELATION_TYPES } from '../../src/relation/relation.model';

const KINDS: NodeType[] = ['person', 'organisation', 'compound'];

describe('relationTypeFor: the relation type an FtM link becomes', () => {
  it('only ever chooses a type whose ends the dataset format allows', () => {
    for (const schema of Object.keys(FTM_LINK_SCHEMAS)) {
      for (const from of KINDS) {
        for (const to of KINDS) {
          for (const role of [undefined, 'Chairman', ...RELATION_TYPES]) {
            const type = relationTypeFor(schema, from, to, role);
            if (type) expect({ schema, from, to, role, type, fits: relationEndsFit(type, from, to) }).toEqual({ schema, from, to, role, type, fits: true });
          }
        }
      }
    }
  });

  it('maps each link schema by its ends, falling back to an association the ends allow or to none', () => {
    const map = (schema: string, from: NodeType, to: NodeType, role?: string) => relationTypeFor(schema, from, to, role);
    expect([
      map('Directorship', 'person', 'organisation'),
      map('Directorship', 'organisation', 'organisation'),
      map('Directorship', 'organisation', 'person'),
      map('Directorship', 'person', 'person'),
      map('Membership', 'person', 'organisation'),
      map('Membership', 'organisation', 'organisation'),
      map('Employment', 'person', 'organisation'),
      map('Employment', 'organisation', 'organisation'),
      map('Ownership', 'person', 'organisation'),
      map('Ownership', 'organisation', 'organisation'),
      map('Ownership', 'compound', 'organisation'),
      map('Ownership', 'organisation', 'compound'),
      map('Family', 'person', 'person'),
      map('Family', 'person', 'organisation'),
      map('Associate', 'person', 'person'),
      map('Representation', 'organisation', 'organisation'),
      map('Representation', 'person', 'organisation'),
      map('UnknownLink', 'organisation', 'compound'),
    ]).toEqual([
      'LEADS', 'AFFILIATED_WITH', undefined, undefined,
      'MEMBER_OF', 'AFFILIATED_WITH',
      'EMPLOYED_BY', 'AFFILIATED_WITH',
      'OWNS', 'OWNS', undefined, undefined,
      'FAMILY_OF', undefined,
      'ASSOCIATE_OF', 'AFFILIATED_WITH', undefined,
      undefined,
    ]);
  });

  it('keeps the type an UnknownLink names in its role (as our exports write) when its ends allow it', () => {
    expect(relationTypeFor('UnknownLink', 'organisation', 'compound', 'PROTECTS')).toBe('PROTECTS');
    expect(relationTypeFor('UnknownLink', 'compound', 'compound', 'RELOCATED_TO')).toBe('RELOCATED_TO');
    expect(relationTypeFor('UnknownLink', 'person', 'compound', 'OPERATES')).toBe('OPERATES');
    expect(relationTypeFor('UnknownLink', 'compound', 'person', 'LEADS')).toBeUndefined();
    expect(relationTypeFor('UnknownLink', 'person', 'person', 'LEADS')).toBe('ASSOCIATE_OF');
  });
});
