import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLOutputType,
} from "graphql";

const CONNECTION_PARTS = new Set(["edges", "node"]);

/**
 * A selection set for `type`: every scalar field, and object fields without
 * required arguments up to `depth` levels. Enough to see any data a field
 * could leak, generated from the schema so new fields are included.
 */
export function selectionFor(type: GraphQLOutputType, depth = 2): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return "";
  const parts: string[] = [];
  for (const field of Object.values(named.getFields()) as GraphQLField<unknown, unknown>[]) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const inner = getNamedType(field.type);
    if (isScalarType(inner) || isEnumType(inner)) parts.push(field.name);
    else if (isObjectType(inner) && (depth > 0 || CONNECTION_PARTS.has(field.name))) {
      // Connection plumbing (edges, node) costs no depth: the node is what could leak.
      const sub = selectionFor(field.type, CONNECTION_PARTS.has(field.name) ? depth : depth - 1);
      if (sub) parts.push(`${field.name} ${sub}`);
    }
  }
  return parts.length ? `{ ${parts.join(" ")} }` : "";
}

/**
 * A minimal value for an input type: required fields only, placeholder scalars,
 * and `known` values for the fields (by name, at any depth) a placeholder cannot fill.
 */
export function minimalInput(type: GraphQLInputType, marker: string, known: Record<string, unknown> = {}): unknown {
  if (isNonNullType(type)) return minimalInput(type.ofType, marker, known);
  if (isListType(type)) return [minimalInput(type.ofType, marker, known)];
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (field.name in known) value[field.name] = known[field.name];
      else if (isNonNullType(field.type)) value[field.name] = minimalInput(field.type, marker, known);
    }
    return value;
  }
  if (isEnumType(type)) return type.getValues()[0]?.value;
  switch (getNamedType(type).name) {
    case "Int":
      return 1;
    case "Float":
      return 0.5;
    case "Boolean":
      return true;
    default:
      return marker;
  }
}

/** Paths to the ID-typed fields (single or lists) of an input object type, two levels deep (e.g. `selector.ids`). */
export function idPathsOf(type: GraphQLInputObjectType, depth = 2): Array<{ path: string[]; list: boolean }> {
  return Object.values(type.getFields()).flatMap((f) => {
    const named = getNamedType(f.type);
    if (named.name === "ID") return [{ path: [f.name], list: isListType(isNonNullType(f.type) ? f.type.ofType : f.type) }];
    if (isInputObjectType(named) && depth > 1) return idPathsOf(named, depth - 1).map((p) => ({ ...p, path: [f.name, ...p.path] }));
    return [];
  });
}

/** A copy of `value` with `path` set (objects created on the way). */
export function withPath(value: Record<string, unknown>, path: string[], leaf: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (!rest.length) return { ...value, [head!]: leaf };
  const inner = value[head!];
  return { ...value, [head!]: withPath(inner && typeof inner === "object" ? (inner as Record<string, unknown>) : {}, rest, leaf) };
}
