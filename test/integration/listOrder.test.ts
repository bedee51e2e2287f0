import { issueApiKey } from '../../src/auth/apiKeys';
import type { Statement } from '../../src/db/executor';
import { listCompounds } from '../../src/compound/compound.queries';
import { listEvents } from '../../src/event/event.queries';
import { listPersons } from '../../src/person/person.queries';
import { startTestServer, type TestServer } from '../helpers/testServer';

jest.setTimeout(180_000);

let t: TestServer;
let investigator: string;

const SOURCE = 'source:demo-synthetic';
const CREATE = 'mutation($input: JSON!) { createEntity(kind: EVENT, input: $input) { entityIds } }';
const RETIRE = 'mutation($id: ID!) { retireEntity(id: $id, reason: "test") { entityIds } }';

beforeAll(async () => {
  t = await startTestServer({ datasets: ['demo'] });
  investigator = (await issueApiKey(t.executor, 'investigator', 'list order test')).key;
  // Events without a start date (one with an end date only), and a dated one that is then retired.
  const events = [
    { id: 'event:order-undated-b', kind: 'raid', title: 'Undated raid (test)', compound: 'compound:demo-cloudgate', sources: [SOURCE] },
    { id: 'event:order-undated-a', kind: 'raid', title: 'Undated raid (test)', compound: 'compound:demo-cloudgate', sources: [SOURCE] },
    { id: 'event:order-end-only', kind: 'raid', endDate: '2021-05', title: 'Raid known by its end (test)', compound: 'compound:demo-cloudgate', sources: [SOURCE] },
    { id: 'event:order-retired', kind: 'raid', date: '1999-01-01', title: 'Retired raid (test)', compound: 'compound:demo-cloudgate', sources: [SOURCE] },
  ];
  for (const input of events) {
    const res = await t.graphql(CREATE, { input }, { key: investigator });
    expect(res.errors).toBeUndefined();
  }
  expect((await t.graphql(RETIRE, { id: 'event:order-retired' }, { key: investigator })).errors).toBeUndefined();
});
afterAll(async () => {
  await t.close();
});

/** Every id a list answers, page by page with cursors. */
async function pageThrough(field: string, args: string, first: number, counted: boolean): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 200; i += 1) {
    const res: any = await t.graphql(
      `query($after: String, $first: Int) { list: ${field}(first: $first, after: $after${args}) { ${counted ? 'totalCount ' : ''}pageInfo { hasNextPage endCursor } nodes { id } } }`,
      { after, first },
      { key: investigator },
    );
    expect(res.errors).toBeUndefined();
    seen.push(...res.data.list.nodes.map((n: { id: string }) => n.id));
    if (!res.data.list.pageInfo.hasNextPage) return seen;
    after = res.data.list.pageInfo.endCursor;
  }
  throw new Error(`${field}: more than 200 pages`);
}

async function ids(cypher: string): Promise<string[]> {
  return (await t.cypher<{ id: string }>(cypher)).map((r) => r.id);
}

describe('list order', () => {
  it.each(['ASC', 'DESC'])('lists events by date %s, undated ones last, across page boundaries, counted or not', async (direction) => {
    const dated = await ids(
      `MATCH (n:Event) WHERE n.retiredAt IS NULL AND n.dateStart IS NOT NULL RETURN n.id AS id ORDER BY n.dateStart ${direction}, n.dateEnd ${direction}, n.id`,
    );
    const undated = await ids(`MATCH (n:Event) WHERE n.retiredAt IS NULL AND n.dateStart IS NULL RETURN n.id AS id ORDER BY n.dateEnd ${direction}, n.id`);
    expect(undated).toHaveLength(3);
    expect(dated).not.toContain('event:order-retired');
    const expected = [...dated, ...undated];
    // Sizes that end a page just before, on and across the first undated event.
    for (const first of [7, dated.length, dated.length + 1, dated.length - 1, 2]) {
      expect(await pageThrough('events', `, orderBy: { field: DATE, direction: ${direction} }`, first, false)).toEqual(expected);
    }
    expect(await pageThrough('events', `, orderBy: { field: DATE, direction: ${direction} }`, 5, true)).toEqual(expected);
    const res: any = await t.graphql(`{ events(first: 3, orderBy: { field: DATE, direction: ${direction} }) { totalCount } }`, {}, { key: investigator });
    expect(res.data.events.totalCount).toBe(expected.length);
  });

  it.each([
    ['persons', 'MATCH (n:Person) WHERE n.retiredAt IS NULL RETURN count(n) AS n'],
    ['compounds', 'MATCH (n:Compound) WHERE n.retiredAt IS NULL RETURN count(n) AS n'],
    ['organisations', 'MATCH (n:Organisation) WHERE n.retiredAt IS NULL RETURN count(n) AS n'],
    ['events', 'MATCH (n:Event) WHERE n.retiredAt IS NULL RETURN count(n) AS n'],
    ['sources', 'MATCH (n:Source) WHERE n.retiredAt IS NULL RETURN count(n) AS n'],
  ])('counts every %s for an empty page: first 0, the last page and past the end', async (field, count) => {
    const [{ n: total }] = (await t.cypher<{ n: number }>(count)) as [{ n: number }];
    expect(total).toBeGreaterThanOrEqual(2);
    const cursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');
    const page = async (first: number, after: string | null) => {
      const res: any = await t.graphql(
        `query($first: Int, $after: String) { list: ${field}(first: $first, after: $after) { totalCount pageInfo { hasNextPage } nodes { id } } }`,
        { first, after },
        { key: investigator },
      );
      expect(res.errors).toBeUndefined();
      return { totalCount: res.data.list.totalCount, hasNextPage: res.data.list.pageInfo.hasNextPage, size: res.data.list.nodes.length };
    };
    expect(await page(0, null)).toEqual({ totalCount: total, hasNextPage: true, size: 0 });
    expect(await page(5, cursor(total - 2))).toEqual({ totalCount: total, hasNextPage: false, size: 1 });
    expect(await page(5, cursor(total - 1))).toEqual({ totalCount: total, hasNextPage: false, size: 0 });
    expect(await page(5, cursor(999_999))).toEqual({ totalCount: total, hasNextPage: false, size: 0 });
  });

  it('keeps a filter on both parts of a date-ordered list', async () => {
    const expected = [
      ...(await ids("MATCH (n:Event {kind: 'raid'}) WHERE n.retiredAt IS NULL AND n.dateStart IS NOT NULL RETURN n.id AS id ORDER BY n.dateStart, n.dateEnd, n.id")),
      ...(await ids("MATCH (n:Event {kind: 'raid'}) WHERE n.retiredAt IS NULL AND n.dateStart IS NULL RETURN n.id AS id ORDER BY n.dateEnd, n.id")),
    ];
    expect(expected.length).toBeGreaterThan(3);
    expect(await pageThrough('events', ', filter: { kinds: [RAID] }', 2, true)).toEqual(expected);
  });

  it.each([
    ['events', 'Event'],
    ['persons', 'Person'],
    ['compounds', 'Compound'],
    ['organisations', 'Organisation'],
    ['sources', 'Source'],
  ])('lists %s by id in both directions', async (field, label) => {
    for (const direction of ['ASC', 'DESC']) {
      const expected = await ids(`MATCH (n:${label}) WHERE n.retiredAt IS NULL RETURN n.id AS id ORDER BY n.id ${direction}`);
      expect(expected.length).toBeGreaterThan(1);
      // At least two pages, the last one short when the count allows it.
      const first = Math.max(1, Math.ceil(expected.length / 3));
      expect(await pageThrough(field, `, orderBy: { field: ID, direction: ${direction} }`, first, false)).toEqual(expected);
    }
  });

  describe('query plans', () => {
    /** The scans and seeks of a PROFILEd statement's plan, with the rows each produced. */
    async function scans(statement: Statement): Promise<{ operator: string; rows: number }[]> {
      const session = t.driver.session({ database: t.config.neo4jDatabase });
      try {
        const result = await session.run(`PROFILE ${statement.cypher}`, statement.params);
        const out: { operator: string; rows: number }[] = [];
        const walk = (plan: { operatorType: string; rows: number; children: unknown[] }) => {
          const operator = plan.operatorType.replace(/@.*$/, '');
          if (/Scan|Seek/.test(operator)) out.push({ operator, rows: plan.rows });
          for (const child of plan.children) walk(child as never);
        };
        walk(result.summary.profile as never);
        return out;
      } finally {
        await session.close();
      }
    }
    const page = { offset: 0, first: 3, countTotal: false };
    const investigatorViewer = { role: 'investigator' } as never;

    it('reads a page of a date- or id-ordered list in index order, without reading every node of the label', async () => {
      const statements: Record<string, Statement> = {
        eventsByDate: listEvents(null, null, page, {}, true),
        eventsByDateDesc: listEvents(null, { field: 'DATE', direction: 'DESC' }, page, {}, true),
        eventsById: listEvents(null, { field: 'ID', direction: 'ASC' }, page, {}, true),
        personsById: listPersons(null, { field: 'ID', direction: 'DESC' }, page, investigatorViewer),
        compoundsById: listCompounds(null, { field: 'ID', direction: 'ASC' }, page, true),
      };
      for (const [name, statement] of Object.entries(statements)) {
        const operators = await scans(statement);
        expect({ name, indexScan: operators.some((o) => o.operator === 'NodeIndexScan' && o.rows > 0) }).toEqual({ name, indexScan: true });
        // The undated part's label scan is in the plan but must not run while dated events fill the page.
        expect({ name, labelScanRows: operators.filter((o) => o.operator === 'NodeByLabelScan').reduce((sum, o) => sum + o.rows, 0) }).toEqual({ name, labelScanRows: 0 });
      }
    });

    it('reads undated events only when the dated ones do not fill the page', async () => {
      const [row] = await t.cypher("MATCH (n:Event) WHERE n.retiredAt IS NULL AND n.dateStart IS NOT NULL RETURN count(n) AS dated");
      const dated = Number(row!.dated);
      const operators = await scans(listEvents(null, null, { offset: dated - 1, first: 3, countTotal: false }, {}, true));
      expect(operators.find((o) => o.operator === 'NodeByLabelScan')?.rows).toBeGreaterThan(0);
    });
  });
});
