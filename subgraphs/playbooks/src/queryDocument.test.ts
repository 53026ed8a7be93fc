import { describe, expect, it } from "vitest";
import { refuseQueryDocument } from "./queryDocument.ts";

describe("refuseQueryDocument", () => {
  it("accepts one query with its fragments", () => {
    expect(
      refuseQueryDocument(`query($id: ID!) { people(where: { id: { eq: $id } }) { ...P } } fragment P on Person { id name }`),
    ).toBeNull();
    expect(refuseQueryDocument(`{ people { id } }`)).toBeNull();
  });

  it("refuses a mutation, a subscription, two operations, a schema definition or text that does not parse", () => {
    expect(refuseQueryDocument(`mutation { deletePeople { nodesDeleted } }`)).toBe(
      "config.query must be a read-only query, not a mutation",
    );
    expect(refuseQueryDocument(`subscription { auditEventRecorded { id } }`)).toBe(
      "config.query must be a read-only query, not a subscription",
    );
    expect(refuseQueryDocument(`query A { people { id } } query B { people { id } }`)).toBe(
      "config.query must hold exactly one operation, it has 2",
    );
    expect(refuseQueryDocument(`query { people { id } } type X { a: Int }`)).toBe("config.query may hold only a query and its fragments");
    expect(refuseQueryDocument(`{ people {`)).toMatch(/^config.query does not parse/);
    expect(refuseQueryDocument(42)).toBe("config.query must be a GraphQL query document");
  });
});
