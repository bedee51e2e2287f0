import { createHash } from 'node:crypto';
import type { Executor } from '../db/executor';
import type { RelationType } from '../relation/relation.model';
import { findEntitiesPage, findRelationshipsPage } from './ftmExport.queries';
import { ftmIdFor, linkSchemaFor, schemaForOrganisationKind, type FtmEntity } from './ftm.model';

/** An entity as the export page query returns it. */
interface ExportNodeRecord {
  id: string;
  label: 'Person' | 'Organisation' | 'Compound' | 'Event';
  referents?: string[] | null;
  lat?: number | null;
  lon?: number | null;
  [property: string]: unknown;
}

/**
 * Our graph as FollowTheMoney entities, for Aleph and OpenSanctions: persons as `Person`, organisations as
 * `Company`/`PublicBody`/`Organization` by kind (our kind in `legalForm`), person roles and compound status in `keywords`, compounds as `RealEstate`, events as `Event` (kind in
 * `keywords`, participants in `involved`), relationships as the FtM link schemas (UnknownLink with our
 * relation type as `role` where FtM has none). Entities keep their first referent as FtM id, others get
 * `tg.<type>.<slug>`, which `--format ftm` maps back to the same id. Victims, and everything that would
 * point at them, are left out unless `includeVictims`.
 *
 *     for await (const entity of exportFtm(executor)) out.write(JSON.stringify(entity) + '\n');
 */
export async function* exportFtm(executor: Executor, options: { includeVictims?: boolean; pageSize?: number } = {}): AsyncGenerator<FtmEntity> {
  const includeVictims = options.includeVictims ?? false;
  const pageSize = options.pageSize ?? 5000;
  const idOf = (id: string, referents?: string[] | null): string => ftmIdFor(id, referents ?? undefined);
  let after = '';
  for (;;) {
    const rows = await executor.read<{ node: ExportNodeRecord; participants: { id: string; role: string; referents: string[] | null }[] }>(
      findEntitiesPage(after, pageSize, includeVictims),
    );
    for (const { node, participants } of rows) {
      const id = idOf(node.id, node.referents);
      const props: Record<string, unknown> = { name: [node.name ?? node.title], alias: node.aliases, description: node.description, topics: node.topics };
      let schema: string;
      if (node.label === 'Person') {
        schema = 'Person';
        Object.assign(props, { nationality: node.nationality, gender: node.gender, birthDate: node.birthDate, position: node.position, keywords: node.roles });
      } else if (node.label === 'Organisation') {
        schema = schemaForOrganisationKind(String(node.kind));
        Object.assign(props, { country: node.country, address: node.address, legalForm: node.kind });
      } else if (node.label === 'Compound') {
        schema = 'RealEstate';
        Object.assign(props, { keywords: [node.status], country: node.country, latitude: node.lat, longitude: node.lon, address: [node.city, node.region].filter(Boolean).join(', ') || undefined });
      } else {
        schema = 'Event';
        Object.assign(props, {
          name: [node.title],
          keywords: [node.kind],
          date: node.date,
          endDate: node.endDate,
          country: node.country,
          location: node.place,
          involved: participants.filter((p) => p.role !== 'organiser').map((p) => idOf(p.id, p.referents)),
          organizer: participants.filter((p) => p.role === 'organiser').map((p) => idOf(p.id, p.referents)),
        });
      }
      yield { id, schema, properties: cleanProperties(props) };
    }
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.node.id;
  }
  after = '';
  for (;;) {
    const rows = await executor.read<{
      id: string; type: RelationType; from: string; to: string; fromReferents: string[] | null; toReferents: string[] | null;
      start: string | null; end: string | null; position: string | null;
    }>(findRelationshipsPage(after, pageSize, includeVictims));
    for (const rel of rows) {
      const link = linkSchemaFor(rel.type);
      const family = link.schema === 'Family' || link.schema === 'Associate';
      yield {
        id: `tg.rel.${createHash('sha1').update(rel.id).digest('hex')}`,
        schema: link.schema,
        properties: cleanProperties({
          [link.from]: idOf(rel.from, rel.fromReferents),
          [link.to]: idOf(rel.to, rel.toReferents),
          startDate: rel.start,
          endDate: rel.end,
          ...(link.schema === 'UnknownLink' ? { role: rel.type, description: rel.position } : family ? { relationship: rel.position } : { role: rel.position }),
        }),
      };
    }
    if (rows.length < pageSize) break;
    after = rows[rows.length - 1]!.id;
  }
}

/** FtM properties are lists of non-empty strings. */
function cleanProperties(props: Record<string, unknown>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(props)) {
    const list = (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined && v !== '').map(String);
    if (list.length) out[key] = list;
  }
  return out;
}
