import { createQuery } from "@urql/solid";
import { For, Match, Switch } from "solid-js";
import { OnboardingFunnelDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { formatDuration, formatTimestamp } from "../lib/format.ts";
import { FUNNEL_LABELS } from "./billingFormat.ts";

/** The onboarding funnel: each step, when it was reached and how long after the tenant was created. */
export function OnboardingFunnelPanel() {
  const [funnel, refetch] = createQuery({ query: OnboardingFunnelDocument, requestPolicy: "cache-and-network" });
  return (
    <section class="panel" aria-labelledby="funnel-title">
      <h2 id="funnel-title">Onboarding</h2>
      <Switch>
        <Match when={funnel.error}>
          <ErrorPanel error={funnel.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!funnel.data}>
          <SkeletonRows rows={5} label="Loading the onboarding funnel" />
        </Match>
        <Match when={funnel.data?.onboardingFunnel}>
          {(f) => (
            <>
              <ol class="funnel" aria-label="Onboarding steps">
                <For each={f().steps}>
                  {(step) => (
                    <li class="funnel-step" data-reached={step.at ? "true" : "false"} data-testid="funnel-step">
                      <strong>{FUNNEL_LABELS[step.step] ?? step.step}</strong>
                      <span class="muted">
                        {step.at ? `${formatTimestamp(step.at)} · after ${formatDuration(step.sinceCreatedSeconds)}` : "not yet"}
                      </span>
                    </li>
                  )}
                </For>
              </ol>
              <p class="muted" data-testid="time-to-first-success">
                Time to first success:{" "}
                {f().timeToFirstSuccessSeconds == null ? "not reached yet" : formatDuration(f().timeToFirstSuccessSeconds)}
              </p>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
