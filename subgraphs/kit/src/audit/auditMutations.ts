import { MapperKind, mapSchema } from "@graphql-tools/utils";
import { defaultFieldResolver, GraphQLError, getNamedType, type GraphQLSchema } from "graphql";
import { PLATFORM_TENANT, redactArguments, type AuditRecorder } from "./auditRecorder.ts";
import type { RequestContext } from "../auth/requestContext.ts";

/** Collects `id` values from a mutation result (up to three levels deep). */
export function collectIds(value: unknown, depth = 0, out: string[] = []): string[] {
  if (depth > 3 || value === null || typeof value !== "object") return out;
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 100)) collectIds(item, depth + 1, out);
    return out;
  }
  const record = value as Record<string, unknown>;
  if (typeof record["id"] === "string") out.push(record["id"]);
  for (const [key, child] of Object.entries(record)) {
    if (key !== "id" && child && typeof child === "object") collectIds(child, depth + 1, out);
  }
  return out;
}

/**
 * Wraps every root Mutation field so that each call records exactly one audit
 * event — success with the ids it touched, or failure with the error code —
 * without any resolver having to remember to do it.
 */
export function auditMutations(schema: GraphQLSchema, recorder: AuditRecorder, service: string): GraphQLSchema {
  const mutationType = schema.getMutationType();
  if (!mutationType) return schema;
  return mapSchema(schema, {
    [MapperKind.MUTATION_ROOT_FIELD]: (field, fieldName) => {
      const resolve = field.resolve ?? defaultFieldResolver;
      const returnType = getNamedType(field.type).name;
      return {
        ...field,
        async resolve(source, args, context: RequestContext, info) {
          // Mutation fields run one after another; each starts with its own hints.
          context.auditHints = {};
          const record = (outcome: "success" | "failure", targetIds: string[], errorCode: string | null) => {
            const hints = context.auditHints;
            return recorder.record({
              tenantId: hints.tenantId ?? context.principal.tenantId ?? PLATFORM_TENANT,
              actor: {
                userId: hints.actorId ?? context.principal.userId,
                kind: context.principal.kind,
                ...(context.principal.tokenId ? { tokenId: context.principal.tokenId } : {}),
              },
              action: fieldName,
              service,
              targetType: hints.targetType ?? returnType,
              targetIds: hints.targetIds ?? targetIds,
              outcome,
              errorCode,
              requestId: context.requestId,
              arguments: redactArguments(args) as Record<string, unknown>,
            });
          };
          let result: unknown;
          try {
            result = await resolve(source, args, context, info);
          } catch (error) {
            const code =
              error instanceof GraphQLError ? String(error.extensions["code"] ?? "INTERNAL_SERVER_ERROR") : "INTERNAL_SERVER_ERROR";
            await record("failure", [], code);
            throw error;
          }
          // Middleware such as graphql-shield returns errors rather than throwing them.
          if (result instanceof Error) {
            await record(
              "failure",
              [],
              result instanceof GraphQLError ? String(result.extensions["code"] ?? "INTERNAL_SERVER_ERROR") : "INTERNAL_SERVER_ERROR",
            );
            return result;
          }
          await record("success", collectIds(result), null);
          return result;
        },
      };
    },
  });
}
