/** An entity's neighbourhood, served by the graph subgraph beside the @neo4j/graphql model. */
export const neighbourhoodTypeDefs = /* GraphQL */ `
  type NeighbourhoodNode {
    id: ID!
    type: String!
    label: String!
    hops: Int!
  }

  type NeighbourhoodEdge {
    from: ID!
    to: ID!
    type: String!
    confidence: Float
    source: String
  }

  type Neighbourhood {
    nodes: [NeighbourhoodNode!]!
    edges: [NeighbourhoodEdge!]!
    "More nodes were within reach than the limit."
    truncated: Boolean!
  }

  type Query {
    "An entity's neighbourhood up to three hops, within your tenant."
    neighbourhood(id: ID!, hops: Int! = 1, limit: Int = 200): Neighbourhood!
  }
`;
