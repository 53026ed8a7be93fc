import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { GraphQLError, type ValidationRule } from "graphql";
import type { GatewayContext } from "./gatewayContext.ts";

/** Armor limits: generous for the console's and SDK's queries, fatal for abuse. */
export const ARMOR_LIMITS = {
  maxDepth: { n: 12 },
  maxAliases: { n: 15 },
  maxDirectives: { n: 50 },
  maxTokens: { n: 5000 },
  costLimit: { maxCost: 20_000 },
} as const;

/** What graphql-armor adds to the gateway: validation rules (HTTP and WebSocket) and Apollo plugins (HTTP). */
export interface ArmorProtection {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<GatewayContext>[];
}

export interface ArmorOptions {
  /** Hides "Did you mean …?" field suggestions (everywhere but development). */
  blockFieldSuggestion: boolean;
  /** False (the benchmark's `securityLayers: "off"`) adds nothing. */
  enabled: boolean;
}

/**
 * graphql-armor with ARMOR_LIMITS. Its token limit is off here: its Apollo
 * plugin throws from parsingDidStart, which Apollo answers with 500, so the
 * gateway counts tokens before Apollo instead (`limitTokens`).
 */
export function armorProtection({ blockFieldSuggestion, enabled }: ArmorOptions): ArmorProtection {
  if (!enabled) return { validationRules: [], plugins: [] };
  const armor = new ApolloArmor({
    ...ARMOR_LIMITS,
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: blockFieldSuggestion },
  });
  const { validationRules, plugins } = armor.protect();
  return { validationRules, plugins: plugins as unknown as ApolloServerPlugin<GatewayContext>[] };
}

/** A validation error without "Did you mean …?", masked the way armor masks it over HTTP. */
export function hideSuggestions(error: GraphQLError): GraphQLError {
  const message = error.message.replace(/Did you mean ".+"\?/g, "[Suggestion hidden]").trim();
  return message === error.message ? error : new GraphQLError(message, { nodes: error.nodes, extensions: error.extensions });
}
