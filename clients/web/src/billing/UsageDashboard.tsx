import { createQuery, useClient } from "@urql/solid";
import { createMemo, createSignal, For, Show } from "solid-js";
import { UsageCsvDocument, UsageDocument, type UsageMetric } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { formatCount } from "../lib/format.ts";
import { BillingLayout } from "./BillingLayout.tsx";
import { lastDays, metricLabel, monthToDate } from "./billingFormat.ts";
import { downloadText } from "../lib/download.ts";
import { OnboardingFunnelPanel } from "./OnboardingFunnelPanel.tsx";
import { UsageChart } from "./UsageChart.tsx";
import { chartSeries, totalsOf } from "./usageSeries.ts";

/** The month-to-date tiles, in this order. */
const TILES: UsageMetric[] = ["QUERIES", "NL_QUESTIONS", "EXPORTS", "INGEST_RECORDS", "ROWS_RETURNED"];
const CHARTABLE: UsageMetric[] = [...TILES, "MUTATIONS", "REPORTS", "MODEL_TOKENS", "FAILED_OPERATIONS", "GRAPH_NODES"];

/** Usage: this month's key figures, a metric's last 30 days as a chart, the days as CSV, and the onboarding funnel. */
export function UsageDashboard() {
  const client = useClient();
  const now = new Date();
  const month = monthToDate(now);
  const range = lastDays(now, 30);
  const [mtd, refetchMtd] = createQuery({
    query: UsageDocument,
    variables: { ...month, metrics: TILES },
    requestPolicy: "cache-and-network",
  });
  const [metric, setMetric] = createSignal<UsageMetric>("QUERIES");
  const [daily, refetchDaily] = createQuery({
    query: UsageDocument,
    variables: () => ({ ...range, metrics: [metric()] }),
    requestPolicy: "cache-and-network",
  });
  const totals = createMemo(() => totalsOf(mtd.data?.usage ?? []));
  const series = createMemo(() => chartSeries(daily.data?.usage ?? [], metric(), range.from, range.to));

  const [downloading, setDownloading] = createSignal(false);
  const [csvError, setCsvError] = createSignal<unknown>(null);
  const downloadCsv = async () => {
    setDownloading(true);
    setCsvError(null);
    const result = await client.query(UsageCsvDocument, range, { requestPolicy: "network-only" }).toPromise();
    setDownloading(false);
    const file = result.data?.usageCsv;
    if (!file) return setCsvError(result.error ?? new Error("The CSV came back empty."));
    downloadText(file.content, file.filename, file.contentType);
  };

  return (
    <BillingLayout title="Usage">
      <section class="panel" aria-labelledby="mtd-title">
        <h2 id="mtd-title">This month so far</h2>
        <Show when={!mtd.error} fallback={<ErrorPanel error={mtd.error} onRetry={() => refetchMtd({ requestPolicy: "network-only" })} />}>
          <dl class="count-grid usage-tiles" aria-busy={!mtd.data}>
            <For each={TILES}>
              {(m) => (
                <div class="count-tile" data-testid={`usage-tile-${m}`}>
                  <dt>{metricLabel(m)}</dt>
                  <dd>{mtd.data ? formatCount(totals()[m] ?? 0) : "…"}</dd>
                </div>
              )}
            </For>
          </dl>
        </Show>
      </section>

      <section class="panel" aria-labelledby="daily-title">
        <div class="panel-head">
          <h2 id="daily-title">Daily, last 30 days</h2>
          <div class="actions">
            <label class="inline">
              Metric
              <select value={metric()} onChange={(e) => setMetric(e.currentTarget.value as UsageMetric)}>
                <For each={CHARTABLE}>{(m) => <option value={m}>{metricLabel(m)}</option>}</For>
              </select>
            </label>
            <button type="button" disabled={downloading()} onClick={() => void downloadCsv()}>
              {downloading() ? "Preparing…" : "Download CSV"}
            </button>
          </div>
        </div>
        <Show when={csvError()}>
          <ErrorPanel error={csvError()} title="The CSV was not downloaded." />
        </Show>
        <Show
          when={!daily.error}
          fallback={<ErrorPanel error={daily.error} onRetry={() => refetchDaily({ requestPolicy: "network-only" })} />}
        >
          <Show when={daily.data} fallback={<SkeletonRows rows={6} label="Loading daily usage" />}>
            <Show keyed when={metric()}>
              {(m) => <UsageChart label={`Daily ${metricLabel(m)}, ${range.from} to ${range.to}`} data={series()} />}
            </Show>
          </Show>
        </Show>
      </section>

      <OnboardingFunnelPanel />
    </BillingLayout>
  );
}
