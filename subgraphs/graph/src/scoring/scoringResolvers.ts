import { execute, Kind, type DocumentNode, type FieldNode, type GraphQLResolveInfo } from "graphql";
import { isSignedIn, type RequestContext } from "@intelgraph/kit";
import type { ScoringService } from "./scoringService.ts";

/**
 * The Indicator a mutation returns, read through the generated `indicators`
 * query with the caller's own selection (so its relationship fields, the
 * tenant and marking filters and the field rules all apply as for any read).
 * A suppressed indicator is left out of that query: then its stored
 * properties are returned (its scalar fields resolve; ask `indicators` with
 * the suppression filter for its relationships).
 */
async function indicatorAsRead(
  id: string,
  ctx: RequestContext,
  info: GraphQLResolveInfo,
  fallback: () => Promise<unknown>,
): Promise<unknown> {
  const field = info.fieldNodes[0] as FieldNode;
  const query = (name: string): DocumentNode => ({
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: "query" as never,
        variableDefinitions: info.operation.variableDefinitions ?? [],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: [
            {
              kind: Kind.FIELD,
              alias: { kind: Kind.NAME, value: "found" },
              name: { kind: Kind.NAME, value: name },
              arguments: [
                {
                  kind: Kind.ARGUMENT,
                  name: { kind: Kind.NAME, value: "where" },
                  value: {
                    kind: Kind.OBJECT,
                    fields: [
                      {
                        kind: Kind.OBJECT_FIELD,
                        name: { kind: Kind.NAME, value: "id" },
                        value: {
                          kind: Kind.OBJECT,
                          fields: [
                            { kind: Kind.OBJECT_FIELD, name: { kind: Kind.NAME, value: "eq" }, value: { kind: Kind.STRING, value: id } },
                          ],
                        },
                      },
                    ],
                  },
                },
              ],
              ...(field.selectionSet ? { selectionSet: field.selectionSet } : {}),
            },
          ],
        },
      },
      ...Object.values(info.fragments),
    ],
  });
  const result = await execute({
    schema: info.schema,
    document: query("indicators"),
    contextValue: ctx,
    variableValues: info.variableValues,
  });
  if (result.errors?.length) throw result.errors[0];
  const found = (result.data?.["found"] as unknown[] | undefined)?.[0];
  return found ?? fallback();
}

export function scoringResolvers(service: ScoringService) {
  return {
    Query: {
      sourceReliabilities: (_: unknown, __: unknown, ctx: RequestContext) => service.sourceReliabilities(ctx.principal),
      scoreThresholds: (_: unknown, __: unknown, ctx: RequestContext) => service.scoreThresholds(ctx.principal),
      indicatorScore: (_: unknown, args: unknown, ctx: RequestContext) => service.indicatorScore(ctx.principal, args),
    },
    Mutation: {
      setSourceReliability: (_: unknown, args: unknown, ctx: RequestContext) =>
        service.setSourceReliability(ctx.principal, args, ctx.auditHints),
      setIndicatorFeedback: async (_: unknown, args: unknown, ctx: RequestContext, info: GraphQLResolveInfo) => {
        const { id } = await service.setIndicatorFeedback(ctx.principal, args, ctx.auditHints);
        return indicatorAsRead(id, ctx, info, () => service.indicatorProperties(ctx.principal, id));
      },
      setScoreThresholds: (_: unknown, args: unknown, ctx: RequestContext) =>
        service.setScoreThresholds(ctx.principal, args, ctx.auditHints),
      recomputeScores: (_: unknown, __: unknown, ctx: RequestContext) => service.recomputeScores(ctx.principal, ctx.auditHints),
    },
    Indicator: {
      scoreBand: (parent: { score?: number | null }, _: unknown, ctx: RequestContext) =>
        isSignedIn(ctx.principal) ? service.bandFor(ctx.principal.tenantId, parent.score) : null,
    },
  };
}
