import { gql } from "graphql-tag";

export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  scalar JSON

  "A saved, parameterised sequence of steps an analyst can run."
  type Playbook @key(fields: "id") {
    id: ID!
    name: String!
    description: String
    "Ordered steps; each an object with at least a string \`action\`."
    steps: JSON!
    ownerId: ID!
    createdAt: String!
    updatedAt: String!
  }

  input CreatePlaybookInput {
    name: String!
    description: String
    steps: JSON!
  }

  type Query {
    playbooks: [Playbook!]!
    playbook(id: ID!): Playbook
  }

  type Mutation {
    "Creates a playbook owned by the caller (admins, analysts, operators)."
    createPlaybook(input: CreatePlaybookInput!): Playbook!
  }
`;
