import type { GraphContext } from '../context';
import type { EventKind, ResolversTypes } from '../generated/graphql';
import { parseGlobalId } from '../common/ids';
import { parseDateArgument } from '../common/partialDate';
import { sourcesOf, toEnum } from '../common/entityResolvers';
import { toNodeRecord } from '../node/node.normalize';
import type { CompoundRecord } from '../compound/compound.model';
import type { EventRecord } from '../event/event.model';
import type { PersonRecord } from '../person/person.model';
import { planCustody } from './custodyPlan';
import type { CustodyStepPlan } from './trace.model';
import { findVictimEvents, type VictimEventRow } from './trace.queries';

type Chain = ResolversTypes['CustodyChain'];
type Step = Awaited<ResolversTypes['CustodyStep']>;

/**
 * A victim's custody chain for the viewer, or null when the id names no victim the viewer may see
 * (the public sees none). One statement reads the events and, with them, their participants, claims, and
 * the compounds and sources they name; that primes the request's loaders, which the steps then read as
 * any resolver does (a node the statement did not find by its id, merged away, is fetched by the loader).
 *
 *     const chain = await traceVictimChain('person:demo-victim-0001', '2024-01-01', context);
 */
export async function traceVictimChain(id: string, asOfArgument: string | null | undefined, context: GraphContext): Promise<Chain | null> {
  parseGlobalId(id, 'id');
  const asOf = parseDateArgument(asOfArgument, 'asOf');
  // The victim and their events are read together (one wave, not two); the events are dropped unread
  // when the victim is unknown or hidden from this viewer.
  const [victim, rows] = await Promise.all([
    context.loaders.node.load(id),
    context.executor.read<VictimEventRow>(findVictimEvents(id, asOf?.end ?? null)),
  ]);
  if (!victim || victim.label !== 'Person' || !victim.victim) return null;
  const events = rows.map((row) => toNodeRecord(row.event) as EventRecord);
  events.forEach((e) => context.loaders.node.prime(e.id, e));
  context.loaders.primeEvents(rows);
  const plan = planCustody(events);

  const compoundIds = new Set<string>();
  for (const e of events) for (const c of [e.compoundId, e.fromCompoundId, e.toCompoundId]) if (c) compoundIds.add(c);
  const eventIds = events.map((e) => e.id);
  const [compoundList, participantLists, claimLists, sourceLists] = await Promise.all([
    context.loaders.node.loadMany([...compoundIds]),
    context.loaders.participants.loadMany(eventIds),
    context.loaders.claims.loadMany(eventIds),
    Promise.all(events.map((e) => sourcesOf(e.sources, context))),
  ]);
  const compounds = new Map<string, CompoundRecord>();
  for (const c of compoundList) if (c && !(c instanceof Error) && c.label === 'Compound') compounds.set(c.id, c);
  const compound = (cid: string | null | undefined): CompoundRecord | null => (cid ? (compounds.get(cid) ?? null) : null);
  const list = <T>(value: T[] | Error | undefined): T[] => (Array.isArray(value) ? value : []);

  const steps = new Map<CustodyStepPlan, Step>();
  plan.steps.forEach((s, i) => {
    const e = s.event;
    const participants = list(participantLists[i]);
    const withRole = (role: string) => participants.filter((p) => p.role === role).map((p) => p.entity);
    const claims = list(claimLists[i]);
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
      sources: sourceLists[i] ?? [],
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
