import { TLP_COLOURS, TLP_MEANINGS, tlpLabel, type TlpMarking } from "./tlp.ts";

/** A TLP 2.0 marking as FIRST colours it, its label always written out ("TLP:AMBER+STRICT"). */
export function MarkingBadge(props: { marking: TlpMarking }) {
  return (
    <span
      class="marking-badge"
      data-marking={props.marking}
      style={{ "--tlp": TLP_COLOURS[props.marking] }}
      title={TLP_MEANINGS[props.marking]}
      data-testid="marking-badge"
    >
      {tlpLabel(props.marking)}
    </span>
  );
}
