import { gql } from "graphql-tag";

export const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  "Billable operations of one tenant on one UTC day."
  type UsageDay {
    day: String!
    queries: Int!
    mutations: Int!
    subscriptions: Int!
  }

  type Query {
    "Per-day operation counts of the caller's tenant (admins and billing). Dates are YYYY-MM-DD, inclusive; default the last 30 days."
    usage(from: String, to: String): [UsageDay!]!
  }
`;
