import { describe, expect, it } from "vitest";
import { hidesUnscored, indicatorsVariables, isIndicatorOrder, INDICATOR_PAGE } from "./indicatorList.ts";

describe("the indicators list", () => {
  it("sorts by score, highest first, scored indicators only, and counts the unscored apart", () => {
    expect(indicatorsVariables("", "score-desc")).toEqual({
      where: { score: { gte: 0 } },
      unscored: { score: { eq: null } },
      sort: [{ score: "DESC" }, { pattern: "ASC" }],
      limit: INDICATOR_PAGE,
      offset: 0,
    });
    expect(hidesUnscored("score-asc")).toBe(true);
    expect(hidesUnscored("pattern")).toBe(false);
  });

  it("filters on pattern and description in every spelling, and asks for more pages at once", () => {
    const vars = indicatorsVariables("evil", "pattern", 3);
    expect(vars.where).toEqual({
      OR: [
        { pattern: { contains: "evil" } },
        { description: { contains: "evil" } },
        { pattern: { contains: "EVIL" } },
        { description: { contains: "EVIL" } },
        { pattern: { contains: "Evil" } },
        { description: { contains: "Evil" } },
      ],
    });
    expect(vars.sort).toEqual([{ pattern: "ASC" }]);
    expect(vars.limit).toBe(3 * INDICATOR_PAGE);
    expect(vars.unscored.AND).toHaveLength(2);
    expect(indicatorsVariables("evil", "score-desc").where?.AND).toEqual([vars.where, { score: { gte: 0 } }]);
  });

  it("knows its orders", () => {
    expect(isIndicatorOrder("score-desc")).toBe(true);
    expect(isIndicatorOrder("toString")).toBe(false);
    expect(isIndicatorOrder(null)).toBe(false);
  });
});
