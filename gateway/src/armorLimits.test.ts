import { readFileSync } from "node:fs";
import { ApolloArmor } from "@escape.tech/graphql-armor";
import { buildSchema, parse, specifiedRules, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { ARMOR_LIMITS } from "./armorLimits.ts";

// The same rules the gateway validates with, against the checked-in API schema.
const schema = buildSchema(readFileSync(new URL("../../schema/api.graphql", import.meta.url), "utf8"));
const { validationRules } = new ApolloArmor({ ...ARMOR_LIMITS, maxTokens: { enabled: false } }).protect();
const errorsOf = (query: string) => validate(schema, parse(query), [...specifiedRules, ...validationRules]).map((e) => e.message);

describe("armor limits on the API schema", () => {
  it("refuses a query that stays under depth and alias limits but costs too much", () => {
    const f = "id name source createdAt updatedAt";
    const nested = `memberOf { ${f} members { ${f} memberOf { ${f} members { ${f} memberOf { ${f} members { ${f} memberOf { ${f} members { ${f} memberOf { ${f} members { ${f} } } } } } } } } } }`;
    const aliases = Array.from({ length: 15 }, (_, i) => `a${i}: people { name ${nested} }`).join(" ");
    const errors = errorsOf(`{ ${aliases} }`); // depth 12, 15 aliases: both at their limit, not over

    expect(errors.join("\n")).toMatch(/cost/i);
    expect(errors.join("\n")).not.toMatch(/depth|alias/i);
  });

  it("lets the console's and SDK's ordinary queries through", () => {
    expect(
      errorsOf(`{ me { email tenant { name limits { burst } } } organizations(limit: 20) { id name domains { name resolvesTo { address } } members { name } }
        auditEvents(first: 20) { nodes { action at actor { userId } } pageInfo { hasNextPage endCursor } } }`),
    ).toEqual([]);
  });
});
