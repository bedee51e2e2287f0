import type { ResolvableLabel } from './resolution.queries';
import { textAsRead } from './victimText';

/**
 * The claims a merge records. A merge keeps the kept record's values and adds the merged record's sources to its own,
 * so without them the merged record's sources would read as support for values they may contradict (one report puts a
 * compound in Myanmar, the other in Cambodia), and the merged record's values would be lost from view. For every
 * property below on which the two records differ, the merge records the merged record's value as a claim citing the
 * merged record's sources, and the kept record's value (when it has one) as a claim citing the kept record's sources.
 * Two values make the claims disputed (`Claim.disputed`, `disputedClaims`). An unmerge deletes them.
 *
 * Only sourced values are compared: names become aliases (as before), descriptions are prose that two records word
 * differently without disagreeing, and bookkeeping (sources, aliases, roles, topics) is unioned or left as it was.
 */
export const MERGE_CLAIM_PROPERTIES: Record<ResolvableLabel, readonly string[]> = {
  Person: ['nationality', 'gender', 'birthDate', 'ageBand', 'position'],
  Organisation: ['kind', 'country', 'address'],
  Compound: ['country', 'region', 'city', 'location', 'status', 'estimatedHeadcount', 'securityFeatures'],
};

/** Compared only when either record is a victim: the API shows an age band for victims alone (src/person/person.resolvers.ts). */
const VICTIM_ONLY_PROPERTIES = new Set(['ageBand']);

/** A claim as a merge writes it: the stored properties of a `:Claim` about the kept record. */
export interface MergeClaim {
  id: string;
  subject: string;
  property: string;
  value: string;
  note: string;
  sources: string[];
  dataset: string;
  synthetic: boolean;
  /** The merge that made it; an unmerge deletes the claims it made. */
  madeByMerge: string;
  /** The value and note as a reader sees them, when that differs from how they are written (src/resolution/victimText.ts). */
  readText?: string;
}

/** One side of a merge: the record's id and its stored properties. */
export interface MergeSide {
  id: string;
  props: Record<string, unknown>;
}

/**
 * The claims a merge of `merged` into `kept` records (see {@link MERGE_CLAIM_PROPERTIES}; `victim`: either record is a
 * victim): none for a property on which the two agree or the merged record says nothing, and none for a value the kept
 * record's claims (its own and those the merge moves onto it) already give for that property.
 *
 * A claim's id is `claim:<merge id>:<property>:merged|kept`, a form the import format refuses (`claim:slug`): no load can
 * write over one, and with it over the record of the merge that made it.
 *
 *     mergeClaims('Compound', kept, merged, existing, 'merge:6f0c…', false)
 *     // [{ id: 'claim:merge:6f0c…:country:merged', value: 'mm', … }, { id: 'claim:merge:6f0c…:country:kept', value: 'kh', … }]
 */
export function mergeClaims(
  label: ResolvableLabel,
  kept: MergeSide,
  merged: MergeSide,
  existing: readonly { property: string; value: string }[],
  mergeId: string,
  victim: boolean,
): MergeClaim[] {
  const claimed = new Set(existing.map((claim) => `${claim.property}\u0000${claim.value}`));
  const claims: MergeClaim[] = [];
  for (const property of MERGE_CLAIM_PROPERTIES[label]) {
    if (VICTIM_ONLY_PROPERTIES.has(property) && !victim) continue;
    const keptValue = claimValue(property, kept.props[property]);
    const mergedValue = claimValue(property, merged.props[property]);
    if (mergedValue === undefined || mergedValue === keptValue) continue;
    const sides: [MergeSide, string | undefined, string][] = [
      [merged, mergedValue, `the value of ${merged.id}, merged into this record by ${mergeId}`],
      [kept, keptValue, `the value of this record when ${merged.id} was merged into it by ${mergeId}`],
    ];
    for (const [side, value, note] of sides) {
      if (value === undefined || claimed.has(`${property}\u0000${value}`)) continue;
      const readText = textAsRead([value, note]);
      claims.push({
        ...(readText === undefined ? {} : { readText }),
        id: `claim:${mergeId}:${property.toLowerCase()}:${side === merged ? 'merged' : 'kept'}`,
        subject: kept.id,
        property,
        value,
        note,
        sources: stringList(side.props.sources),
        dataset: typeof side.props.dataset === 'string' ? side.props.dataset : 'import',
        synthetic: side.props.synthetic === true,
        madeByMerge: mergeId,
      });
    }
  }
  return claims;
}

/**
 * A stored value as a claim's text, or undefined when the record says nothing: lists sorted and joined (`kh, mm`), a
 * location as `latitude, longitude`, and a compound's default status `unknown` as nothing.
 */
function claimValue(property: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(String).sort().join(', ');
  if (property === 'location' && typeof value === 'object') {
    const point = value as { x?: unknown; y?: unknown };
    return typeof point.x === 'number' && typeof point.y === 'number' ? `${point.y}, ${point.x}` : undefined;
  }
  if (property === 'status' && value === 'unknown') return undefined;
  const text = String(value);
  return text.trim() === '' ? undefined : text;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
