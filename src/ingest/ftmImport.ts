import { createHash } from 'node:crypto';
import { COMPOUND_STATUSES, PERSON_ROLES } from './dataset.model';
import type { ImportItem } from './importRecords';
import { readLines } from './recordReaders';
import {
  ADDRESS_PROPERTY,
  FTM_LINK_SCHEMAS,
  FTM_NODE_SCHEMAS,
  all,
  countries,
  eventKindFor,
  first,
  organisationKind,
  ourIdFor,
  partialDate,
  periodOf,
  relationTypeFor,
  type FtmEntity,
  type NodeType,
} from './ftm.model';

/**
 * Reads an FtM entity JSON lines file as our records, in three streaming passes so the output is in
 * dependency order whatever the file's order: (1) index node ids and Address texts, (2) nodes, with their
 * addresses folded in, (3) links, events, sanctions and notes. Every record cites `source`, since FtM has
 * no source per entity. Counts what it skips on purpose into `skipped`: unmodelled schemas, links with an end not in
 * the file, links no relation type fits (seed/FORMAT.md), links of an entity to itself, and links and events whose
 * end date lies wholly before their start, which the dataset format refuses and would reject their whole batch.
 *
 *     const skipped = {};
 *     await importRecords(readFtmRecords(file, 'source:lobbyregister', skipped), executor, { skipped });
 */
export async function* readFtmRecords(file: string, source: string, skipped: Record<string, number>): AsyncGenerator<ImportItem> {
  const skip = (why: string): void => {
    skipped[why] = (skipped[why] ?? 0) + 1;
  };
  const nodes = new Map<string, { type: NodeType; id: string }>();
  const addresses = new Map<string, string>();
  for await (const { text } of readLines(file)) {
    const entity = parseEntity(text);
    if (!entity) continue;
    const type = FTM_NODE_SCHEMAS[entity.schema];
    if (type) nodes.set(entity.id, { type, id: ourIdFor(type, entity.id) });
    if (entity.schema === 'Address') {
      addresses.set(entity.id, first(entity, 'full') ?? all(entity, 'street', 'postalCode', 'city', 'country').join(', '));
    }
  }
  const addressOf = (entity: FtmEntity): string | undefined => {
    const texts = all(entity, ADDRESS_PROPERTY).map((id) => addresses.get(id)).filter((t): t is string => !!t);
    const own = all(entity, 'address');
    const joined = [...new Set([...texts, ...own])].join('; ');
    return joined || undefined;
  };

  // Pass 2: nodes (and claims about persons, which have no address field).
  for await (const { line, text } of readLines(file)) {
    const location = `line ${line}`;
    const entity = parseEntity(text);
    if (!entity) {
      yield { location, error: 'not an FtM entity: needs "id", "schema" and "properties"' };
      continue;
    }
    const node = nodes.get(entity.id);
    if (!node) continue;
    const names = all(entity, 'name');
    const fullName = [first(entity, 'firstName'), first(entity, 'lastName')].filter(Boolean).join(' ');
    const name = names[0] ?? (fullName || entity.id);
    const aliases = [...new Set([...names.slice(1), ...all(entity, 'alias', 'weakAlias', 'previousName')])].filter((a) => a !== name);
    const topics = all(entity, 'topics');
    const description = first(entity, 'description') ?? first(entity, 'notes') ?? first(entity, 'summary');
    const common = { id: node.id, name, aliases, description, referents: [entity.id], sources: [source] };
    if (node.type === 'person') {
      const gender = first(entity, 'gender');
      yield {
        location,
        type: 'person',
        value: {
          ...common,
          topics,
          nationality: countries(all(entity, 'nationality', 'citizenship')),
          gender: gender === 'male' || gender === 'female' ? gender : gender ? 'other' : undefined,
          birthDate: partialDate(first(entity, 'birthDate')),
          position: first(entity, 'position'),
          roles: all(entity, 'keywords').filter((k) => (PERSON_ROLES as readonly string[]).includes(k)),
        },
      };
      const address = addressOf(entity);
      const country = countries(all(entity, 'country')).join(', ');
      for (const [property, value] of [['address', address], ['country', country]] as const) {
        if (value) {
          yield {
            location,
            type: 'claim',
            value: { id: `claim:${node.id.slice('person:'.length)}-${property}`, subject: node.id, property, value, sources: [source] },
          };
        }
      }
    } else if (node.type === 'organisation') {
      yield {
        location,
        type: 'organisation',
        value: {
          ...common,
          topics,
          kind: organisationKind(entity.schema, topics, first(entity, 'legalForm')),
          country: countries(all(entity, 'country', 'jurisdiction', 'mainCountry')),
          address: addressOf(entity),
        },
      };
    } else {
      const latitude = Number(first(entity, 'latitude'));
      const longitude = Number(first(entity, 'longitude'));
      yield {
        location,
        type: 'compound',
        value: {
          ...common,
          country: countries(all(entity, 'country'))[0],
          status: all(entity, 'keywords').find((k) => (COMPOUND_STATUSES as readonly string[]).includes(k)),
          ...(Number.isFinite(latitude) && Number.isFinite(longitude) && first(entity, 'latitude') ? { latitude, longitude } : {}),
        },
      };
    }
  }

  // Pass 3: links, events, sanctions, notes; everything else is counted as skipped.
  const seenRelations = new Set<string>();
  for await (const { line, text } of readLines(file)) {
    const location = `line ${line}`;
    const entity = parseEntity(text);
    if (!entity || nodes.has(entity.id)) continue;
    const ends = FTM_LINK_SCHEMAS[entity.schema];
    if (ends) {
      const from = nodes.get(first(entity, ends[0]) ?? '');
      const to = nodes.get(first(entity, ends[1]) ?? '');
      const role = first(entity, 'role');
      const type = from && to ? relationTypeFor(entity.schema, from.type, to.type, role) : undefined;
      if (!from || !to) {
        skip(`FtM ${entity.schema} (an end is not in the file)`);
        continue;
      }
      if (!type) {
        skip(`FtM ${entity.schema} (no relation type fits its ends)`);
        continue;
      }
      if (from.id === to.id) {
        skip(`FtM ${entity.schema} (links an entity to itself)`);
        continue;
      }
      const { start, end, endsBeforeStart } = periodOf(entity);
      if (endsBeforeStart) {
        skip(`FtM ${entity.schema} (ends before it starts)`);
        continue;
      }
      const pair = `${from.id}|${type}|${to.id}`;
      const key = seenRelations.has(pair) ? `ftm-${createHash('sha1').update(entity.id).digest('hex').slice(0, 16)}` : undefined;
      seenRelations.add(pair);
      const percentage = first(entity, 'percentage');
      const position =
        type === 'FAMILY_OF' || type === 'ASSOCIATE_OF'
          ? first(entity, 'relationship') ?? role
          : role === type
            ? first(entity, 'description')
            : role ?? (percentage ? `${percentage}%` : undefined);
      yield {
        location,
        type: 'relationship',
        value: {
          type,
          from: from.id,
          to: to.id,
          start,
          end,
          position,
          key,
          sources: [source],
        },
      };
    } else if (entity.schema === 'Sanction' || entity.schema === 'Event') {
      const sanction = entity.schema === 'Sanction';
      const participants = sanction
        ? all(entity, 'entity').map((id) => ({ id: nodes.get(id)?.id, role: 'target' }))
        : [
            ...all(entity, 'involved').map((id) => ({ id: nodes.get(id)?.id, role: 'subject' })),
            ...all(entity, 'organizer').map((id) => ({ id: nodes.get(id)?.id, role: 'organiser' })),
          ];
      const { start: date, end: endDate, endsBeforeStart } = periodOf(entity);
      if (endsBeforeStart) {
        skip(`FtM ${entity.schema} (ends before it starts)`);
        continue;
      }
      const title = sanction
        ? `Sanction: ${[first(entity, 'authority'), first(entity, 'program')].filter(Boolean).join(', ') || 'listed'}`
        : first(entity, 'name') ?? first(entity, 'summary') ?? 'Event';
      yield {
        location,
        type: 'event',
        value: {
          id: ourIdFor('event', entity.id),
          kind: sanction ? 'sanction' : eventKindFor(all(entity, 'keywords')),
          title,
          date,
          endDate,
          description: first(entity, 'reason') ?? first(entity, 'description') ?? first(entity, 'summary'),
          country: countries(all(entity, 'country'))[0],
          place: first(entity, 'location'),
          participants: participants.filter((p): p is { id: string; role: string } => !!p.id),
          referents: [entity.id],
          sources: [source],
        },
      };
    } else if (entity.schema === 'Note') {
      const subject = nodes.get(first(entity, 'entity') ?? '');
      const value = first(entity, 'description') ?? first(entity, 'summary');
      if (!subject || !value) {
        skip('FtM Note (no entity in the file or no text)');
        continue;
      }
      yield {
        location,
        type: 'claim',
        value: { id: `claim:${ourIdFor('event', entity.id).slice('event:'.length)}`, subject: subject.id, property: 'note', value, sources: [source] },
      };
    } else if (entity.schema === 'Address') {
      skip('FtM Address (folded into the address of the entities that point at it)');
    } else {
      skip(`FtM ${entity.schema} (not modelled)`);
    }
  }
}

function parseEntity(text: string): FtmEntity | undefined {
  try {
    const value = JSON.parse(text) as Partial<FtmEntity>;
    if (typeof value?.id !== 'string' || typeof value.schema !== 'string' || typeof value.properties !== 'object' || !value.properties) {
      return undefined;
    }
    return value as FtmEntity;
  } catch {
    return undefined;
  }
}
