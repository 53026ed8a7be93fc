import { KIND_COLOURS } from "../entities/entityKinds.ts";

export function KindBadge(props: { kind: string }) {
  return (
    <span class="kind-badge" style={{ "--kind": KIND_COLOURS[props.kind] ?? "#64748b" }}>
      {props.kind}
    </span>
  );
}
