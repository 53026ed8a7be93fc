import { isDate, isDateTime, isDuration, isLocalDateTime, isLocalTime, isPoint, isTime } from "neo4j-driver";

const isNeo4jScalar = (v: unknown) =>
  isDate(v) || isDateTime(v) || isLocalDateTime(v) || isLocalTime(v) || isTime(v) || isDuration(v) || isPoint(v);

/** Neo4j values as JSON: temporal values and points by their ISO / WKT-like string, the rest as is. */
export const plain = (value: unknown): unknown => {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(plain);
  if (isNeo4jScalar(value)) return String(value);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  return value;
};
