/**
 * Type definitions for @neo4j/graphql 7 over the same database: the same labels, properties and
 * relationship types as our schema, so the two layers do the same reads. No auth directives: the
 * library serves everything (it has no notion of victims' identities; it is a performance baseline only).
 * `members` of an organisation is LEADS | MEMBER_OF | EMPLOYED_BY in our schema; @neo4j/graphql has
 * one relationship type per field, so it takes three fields.
 */
export const NEO4J_GRAPHQL_TYPE_DEFS = /* GraphQL */ `
  type Compound
    @node
    @fulltext(indexes: [{ indexName: "node_names", fields: ["name"], queryName: "compoundsByName" }]) {
    id: ID!
    name: String
    country: String
    status: String
    operators: [Operator!]! @relationship(type: "OPERATES", direction: IN)
    staff: [Person!]! @relationship(type: "WORKS_AT", direction: IN)
    protectors: [Organisation!]! @relationship(type: "PROTECTS", direction: IN)
    events: [Event!]! @relationship(type: "INVOLVES", direction: IN)
  }

  union Operator = Organisation | Person

  type Organisation @node {
    id: ID!
    name: String
    kind: String
    leaders: [Person!]! @relationship(type: "LEADS", direction: IN)
    members: [Person!]! @relationship(type: "MEMBER_OF", direction: IN)
    employees: [Person!]! @relationship(type: "EMPLOYED_BY", direction: IN)
    operates: [Compound!]! @relationship(type: "OPERATES", direction: OUT)
  }

  type Person @node {
    id: ID!
    name: String
    events: [Event!]! @relationship(type: "INVOLVES", direction: IN)
    worksAt: [Compound!]! @relationship(type: "WORKS_AT", direction: OUT)
  }

  type Event @node {
    id: ID!
    kind: String
    date: String
    dateStart: String
  }
`;
