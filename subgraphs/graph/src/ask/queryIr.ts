/**
 * The typed query IR a question compiles to (and the only thing an optional
 * model backend may propose): node patterns, the relationships between them,
 * filters, one optional aggregation, order and limit. It names no tenant and
 * holds no Cypher; `compileCypher` turns it into parameterised, tenant-scoped
 * Cypher after checking every name against the graph vocabulary.
 */
import { z } from "zod";

/** Variables are the compiler's own short names, never text from a question. */
const nodeVar = z.string().regex(/^n[0-3]$/, "a node variable is n0 to n3");
const name = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,59}$/, "a schema name");
const value = z.union([z.string().max(500), z.number().finite(), z.boolean()]);

/**
 * The row cap a query may ask for.
 * @default 25 (LIMIT when the IR names none)
 */
export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 25;

export const queryIrSchema = z
  .object({
    nodes: z
      .array(z.object({ var: nodeVar, label: name }))
      .min(1)
      .max(4),
    /** Hops between nodes, in the schema's own direction (`from` → `to`). */
    edges: z
      .array(z.object({ from: nodeVar, type: name, to: nodeVar }))
      .max(3)
      .default([]),
    filters: z
      .array(
        z.object({
          var: nodeVar,
          property: name,
          op: z.enum(["eq", "contains", "startsWith", "endsWith", "gt", "gte", "lt", "lte"]),
          value,
          negate: z.boolean().default(false),
        }),
      )
      .max(8)
      .default([]),
    /** What each row shows; ignored for the counted side of an aggregation. */
    returns: z
      .array(z.object({ var: nodeVar, property: name.optional() }))
      .max(8)
      .default([]),
    /** `count` of distinct `var`, grouped by the `returns`. */
    aggregate: z.object({ fn: z.literal("count"), var: nodeVar }).optional(),
    orderBy: z
      .object({
        /** A returned property, or the aggregate when omitted. */
        var: nodeVar.optional(),
        property: name.optional(),
        direction: z.enum(["ASC", "DESC"]).default("ASC"),
      })
      .optional(),
    limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  })
  .strict()
  .refine((ir) => ir.returns.length > 0 || ir.aggregate !== undefined, {
    message: "return something: a node, a property or a count",
    path: ["returns"],
  });

export type QueryIr = z.output<typeof queryIrSchema>;
export type QueryIrInput = z.input<typeof queryIrSchema>;
