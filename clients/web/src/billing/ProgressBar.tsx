import { progressLevel } from "./billingFormat.ts";

/** A labelled meter: `percent` 0…100 fills it, coloured warn from 80 % and over at 100 %. */
export function ProgressBar(props: { label: string; percent: number; testId?: string }) {
  return (
    <div
      class="billing-meter"
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={props.percent}
      data-level={progressLevel(props.percent)}
      data-testid={props.testId}
    >
      <div class="billing-meter-fill" style={{ width: `${props.percent}%` }} />
    </div>
  );
}
