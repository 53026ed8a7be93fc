import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
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
  if (isUnionType(named)) {
    // Each member's own selection, one level less deep (a union of 13 types at full depth is a huge query).
    const members = named.getTypes().map((member) => {
      const sub = selectionFor(member, Math.max(0, depth - 1));
      return sub ? `... on ${member.name} ${sub}` : "";
    });
    return `{ __typename ${members.filter(Boolean).join(" ")} }`;
  }
  if (!isObjectType(named)) return "";
  const parts: string[] = [];
  for (const field of Object.values(named.getFields()) as GraphQLField<unknown, unknown>[]) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const inner = getNamedType(field.type);
    if (isScalarType(inner) || isEnumType(inner)) parts.push(field.name);
    else if ((isObjectType(inner) || isUnionType(inner)) && (depth > 0 || CONNECTION_PARTS.has(field.name))) {
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

/**
 * The ID-typed fields (single or lists) of an input object type, two levels
 * deep (e.g. `selector.ids`, `sections[].id`), each with `place`, which sets
 * it in a value: input objects on the way are taken from the value or made
 * minimal (`minimalInput`), and through a list the id goes into each item.
 */
export function idPathsOf(
  type: GraphQLInputObjectType,
  marker: string,
  known: Record<string, unknown> = {},
  depth = 2,
): Array<{ path: string[]; list: boolean; place(value: Record<string, unknown>, leaf: unknown): Record<string, unknown> }> {
  return Object.values(type.getFields()).flatMap((f) => {
    const named = getNamedType(f.type);
    const isList = isListType(isNonNullType(f.type) ? f.type.ofType : f.type);
    if (named.name === "ID")
      return [{ path: [f.name], list: isList, place: (value: Record<string, unknown>, leaf: unknown) => ({ ...value, [f.name]: leaf }) }];
    if (!isInputObjectType(named) || depth <= 1) return [];
    return idPathsOf(named, marker, known, depth - 1).map((inner) => ({
      path: [f.name, ...inner.path],
      list: inner.list,
      place(value: Record<string, unknown>, leaf: unknown) {
        const current = value[f.name];
        const fresh = () => minimalInput(named, marker, known) as Record<string, unknown>;
        if (isList) {
          const items = Array.isArray(current) && current.length ? (current as Array<Record<string, unknown>>) : [fresh()];
          return { ...value, [f.name]: items.map((item) => inner.place(item, leaf)) };
        }
        return {
          ...value,
          [f.name]: inner.place(current && typeof current === "object" ? (current as Record<string, unknown>) : fresh(), leaf),
        };
      },
    }));
  });
}
