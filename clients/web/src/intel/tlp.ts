/**
 * TLP 2.0 markings as the console shows them. The API spells AMBER+STRICT as
 * AMBER_STRICT (an enum value cannot hold `+`); people read FIRST's spelling.
 */
import type { TlpMarking } from "../api/generated/graphql.ts";

export type { TlpMarking };

/** Lowest first, as clearance ranks them. */
export const TLP_MARKINGS: readonly TlpMarking[] = ["CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED"];

/** "TLP:AMBER+STRICT", as TLP 2.0 writes it. */
export const tlpLabel = (marking: TlpMarking): string => `TLP:${marking === "AMBER_STRICT" ? "AMBER+STRICT" : marking}`;

/**
 * FIRST's TLP 2.0 colours (RGB values from the standard). FIRST prints the
 * label in the colour on black; the badge uses the colour as background with
 * black text, the same contrast pair, and CLEAR (white) gets a border so it
 * shows on a light page.
 */
export const TLP_COLOURS: Record<TlpMarking, string> = {
  CLEAR: "#FFFFFF",
  GREEN: "#33FF00",
  AMBER: "#FFC000",
  AMBER_STRICT: "#FFC000",
  RED: "#FF2B2B",
};

/** What each marking allows, in FIRST's words (the badge's tooltip). */
export const TLP_MEANINGS: Record<TlpMarking, string> = {
  CLEAR: "Recipients can spread this to the world; there is no limit on disclosure.",
  GREEN: "Limited disclosure: recipients can share it within their community, not publicly.",
  AMBER: "Limited disclosure: recipients can share it on a need-to-know basis within their organisation and its clients.",
  AMBER_STRICT: "Limited disclosure: recipients can share it on a need-to-know basis within their organisation only.",
  RED: "For the eyes and ears of individual recipients only, no further disclosure.",
};

export const isTlpMarking = (value: unknown): value is TlpMarking =>
  typeof value === "string" && TLP_MARKINGS.includes(value as TlpMarking);

export const markingRank = (marking: TlpMarking): number => TLP_MARKINGS.indexOf(marking);
