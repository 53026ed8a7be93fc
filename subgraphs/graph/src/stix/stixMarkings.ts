/**
 * TLP markings as STIX 2.1 marking-definition objects. An imported object's
 * `object_marking_refs` name TLP 2.0 definitions (the ids FIRST/OASIS publish
 * in cti-stix-common-objects) or the TLP 1.0 ones STIX 2.1 itself defines
 * (white, green, amber, red); white reads as CLEAR. Several markings on one
 * object: the highest wins. An export always writes the TLP 2.0 ids and
 * includes the definitions it uses.
 */
import { highestMarking, TLP_MARKINGS, type TlpMarking } from "@intelgraph/kit";

export const TLP2_EXTENSION_ID = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/** TLP 2.0 marking-definition ids, by marking. */
export const TLP2_MARKING_IDS: Readonly<Record<TlpMarking, string>> = {
  CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
  GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
  AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
  AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
  RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
};

/** TLP 1.0 (STIX 2.1 section 7.2.1.4): read on import, never written. */
const TLP1_MARKING_IDS: Readonly<Record<string, TlpMarking>> = {
  "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9": "CLEAR",
  "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da": "GREEN",
  "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82": "AMBER",
  "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed": "RED",
};

const BY_ID: ReadonlyMap<string, TlpMarking> = new Map([
  ...TLP_MARKINGS.map((m) => [TLP2_MARKING_IDS[m], m] as const),
  ...Object.entries(TLP1_MARKING_IDS),
]);

/** The TLP marking a marking-definition id stands for, or undefined (not a TLP definition we know). */
export const markingOfDefinition = (id: string): TlpMarking | undefined => BY_ID.get(id.toLowerCase());

/** The highest TLP marking among an object's `object_marking_refs`, or undefined when it names none we know. */
export function markingFromRefs(refs: unknown): TlpMarking | undefined {
  if (!Array.isArray(refs)) return undefined;
  const known = refs.map((ref) => (typeof ref === "string" ? markingOfDefinition(ref) : undefined)).filter((m) => m !== undefined);
  return known.length ? highestMarking(known) : undefined;
}

/** The TLP 2.0 marking-definition object for a marking, as OASIS publishes it. */
export function markingDefinition(marking: TlpMarking): Record<string, unknown> {
  const level = marking === "AMBER_STRICT" ? "amber+strict" : marking.toLowerCase();
  return {
    type: "marking-definition",
    spec_version: "2.1",
    id: TLP2_MARKING_IDS[marking],
    created: "2022-10-01T00:00:00.000Z",
    name: `TLP:${level.toUpperCase()}`,
    extensions: { [TLP2_EXTENSION_ID]: { extension_type: "property-extension", tlp_2_0: level } },
  };
}

/**
 * A marking written in a mapping or a CSV/JSON column: `AMBER`, `amber`,
 * `TLP:AMBER+STRICT`, `amber_strict`, `white` (TLP 1.0 for CLEAR); undefined
 * when it is none of them.
 */
export function parseMarking(text: string): TlpMarking | undefined {
  const plain = text
    .trim()
    .toUpperCase()
    .replace(/^TLP[:\s-]*/, "")
    .replace(/[+\s-]/g, "_");
  if (plain === "WHITE") return "CLEAR";
  return (TLP_MARKINGS as readonly string[]).includes(plain) ? (plain as TlpMarking) : undefined;
}
