import { DEFAULT_THRESHOLDS, scoreBand, scoreText, type ScoreThresholds } from "./scoreBands.ts";

/** A confidence score 0–100 with its band's colour; the number and band are always written out. */
export function ScoreBadge(props: { score: number | null | undefined; thresholds?: ScoreThresholds | undefined }) {
  const band = () => scoreBand(props.score, props.thresholds ?? DEFAULT_THRESHOLDS);
  return (
    <span
      class="score-badge"
      data-band={band() ?? "NONE"}
      data-testid="score-badge"
      title={band() ? `Confidence ${props.score} of 100 (${band()!.toLowerCase()})` : "Not scored yet"}
    >
      {scoreText(props.score, band())}
    </span>
  );
}
