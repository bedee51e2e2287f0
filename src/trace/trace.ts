import type { GraphContext } from '../context';
import type { EventKind, ResolversTypes } from '../generated/graphql';
import { parseGlobalId } from '../common/ids';
import { parseDateArgument } from '../common/partialDate';
import { toEnum } from '../common/entityResolvers';
import type { SelectionInfo } from '../common/lookahead';
import { toNodeRecord } from '../node/node.normalize';
import type { CompoundRecord } from '../compound/compound.model';
import type { EventRecord } from '../event/event.model';
import type { PersonRecord } from '../person/person.model';
import { planCustody } from './custodyPlan';
import type { CustodyStepPlan } from './trace.model';
import { findVictimEvents, type VictimEventRow } from './trace.queries';
import { chainProjections } from './chainProjection';
import type { SourceRecord } from '../source/source.model';

type Chain = ResolversTypes['CustodyChain'];
type Step = Awaited<ResolversTypes['CustodyStep']>;

/**
 * A victim's custody chain for the viewer, or null when the id names no victim the viewer may see
 * (the public sees none). One statement reads the events and, with them, their participants, claims, and
 * the compounds and sources they name, each with only the properties the chain and the query's selection
 * read (`info`; src/trace/chainProjection.ts); the steps are built from what it read (a node it did not find
 * by its id, merged away, is fetched by the node loader). Whole records also prime the request's loaders.
 *
 *     const chain = await traceVictimChain('person:demo-victim-0001', '2024-01-01', context, info);
 */
export async function traceVictimChain(
  id: string,
  asOfArgument: string | null | undefined,
  context: GraphContext,
  info?: SelectionInfo,
): Promise<Chain | null> {
  parseGlobalId(id, 'id');
  const asOf = parseDateArgument(asOfArgument, 'asOf');
  const projections = chainProjections(info);
  // The victim and their events are read together (one wave, not two); the events are dropped unread
  // when the victim is unknown or hidden from this viewer.
  const [victim, rows] = await Promise.all([
    context.loaders.node.load(id),
    context.executor.read<VictimEventRow>(findVictimEvents(id, asOf?.end ?? null, projections)),
  ]);
  if (!victim || victim.label !== 'Person' || !victim.victim) return null;
  const events = rows.map((row) => toNodeRecord(row.event) as EventRecord);
  // Whole events are what the node loader would fetch; projected ones are never put there.
  if (projections.events === null) events.forEach((e) => context.loaders.node.prime(e.id, e));
  const read = context.loaders.readEventRows(rows, projections);
  const plan = planCustody(events);

  // The compounds and sources the events name, as the statement found them; an id it found no node for (merged
  // away) is asked of the node loader, which follows merges.
  const missing = new Set<string>();
  for (const e of events) {
    for (const ref of [e.compoundId, e.fromCompoundId, e.toCompoundId, ...e.sources]) if (ref && !read.nodes.has(ref)) missing.add(ref);
  }
  if (missing.size > 0) {
    const ids = [...missing];
    const found = await Promise.all(ids.map((ref) => context.loaders.node.load(ref)));
    ids.forEach((ref, i) => read.nodes.set(ref, found[i] ?? null));
  }
  const compound = (cid: string | null | undefined): CompoundRecord | null => {
    const record = cid ? read.nodes.get(cid) : null;
    return record?.label === 'Compound' ? (record as CompoundRecord) : null;
  };
  const eventSources = (e: EventRecord): SourceRecord[] =>
    e.sources.flatMap((ref) => {
      const record = read.nodes.get(ref);
      return record?.label === 'Source' ? [record as SourceRecord] : [];
    });

  const steps = new Map<CustodyStepPlan, Step>();
  plan.steps.forEach((s) => {
    const e = s.event;
    const participants = read.participants.get(e.id) ?? [];
    const withRole = (role: string) => participants.filter((p) => p.role === role).map((p) => p.entity);
    const claims = read.claims.get(e.id) ?? [];
    steps.set(s, {
      index: s.index,
      event: e,
      kind: toEnum<EventKind>(e.kind),
      date: e.date ?? null,
      compound: compound(e.compoundId),
      fromCompound: compound(e.fromCompoundId),
      toCompound: compound(e.toCompoundId),
      heldAfter: compound(s.heldAfter),
      price: e.price ?? null,
      currency: e.currency ?? null,
      sellers: withRole('seller'),
      buyers: withRole('buyer'),
      brokers: withRole('broker'),
      recruiters: withRole('recruiter'),
      isExit: s.isExit,
      sources: eventSources(e),
      claims,
      conflicts: claims.filter((c) => c.disputed),
    });
  });
  const step = (s: CustodyStepPlan | null): Step | null => (s ? (steps.get(s) ?? null) : null);
  const stepList = [...steps.values()];
  const last = plan.steps[plan.steps.length - 1];

  return {
    victim: victim as PersonRecord,
    asOf: asOfArgument ?? null,
    steps: stepList,
    periods: plan.periods.flatMap((p) => {
      const c = compound(p.compoundId);
      return c
        ? [{ compound: c, from: p.from, until: p.until, arrival: p.arrival?.event ?? null, departure: p.departure?.event ?? null, open: p.open }]
        : [];
    }),
    heldAt: compound(plan.heldAt),
    exit: last?.isExit && plan.heldAt === null ? step(last) : null,
    gaps: plan.gaps.map((g) => ({
      kind: g.kind,
      lastKnown: compound(g.lastKnown),
      nextKnown: compound(g.nextKnown),
      after: step(g.after),
      before: step(g.before),
      from: g.from,
      until: g.until,
      description: g.description,
    })),
    hasConflicts: stepList.some((s) => s.conflicts.length > 0),
  };
}
