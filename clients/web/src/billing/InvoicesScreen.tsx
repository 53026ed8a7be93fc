import { createMutation, createQuery } from "@urql/solid";
import { createSignal, For, Match, Show, Switch } from "solid-js";
import { CreateInvoiceDocument, InvoicesDocument } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { formatTimestamp } from "../lib/format.ts";
import { BillingLayout } from "./BillingLayout.tsx";
import { formatMoney, isPeriod, periodOf } from "./billingFormat.ts";
import { InvoiceDetail } from "./InvoiceDetail.tsx";

/** Invoices: the list, one built for a period on request (YYYY-MM, this month by default), and the one opened. */
export function InvoicesScreen() {
  const [invoices, refetch] = createQuery({
    query: InvoicesDocument,
    requestPolicy: "cache-and-network",
    context: { additionalTypenames: ["Invoice"] },
  });
  const [creating, create] = createMutation(CreateInvoiceDocument);
  const [period, setPeriod] = createSignal(periodOf(new Date()));
  const [openId, setOpenId] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>(null);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setError(null);
    if (!isPeriod(period())) return setError(new Error("The period is a month as YYYY-MM, e.g. 2025-01."));
    const result = await create({ period: period() });
    if (!result.data) return setError(result.error ?? new Error("The invoice was not created."));
    setOpenId(result.data.createInvoice.id);
    refetch({ requestPolicy: "network-only" });
  };

  return (
    <BillingLayout title="Invoices">
      <form class="panel inline-form" aria-label="Create an invoice" onSubmit={(e) => void submit(e)}>
        <label>
          Period (YYYY-MM)
          <input name="period" required pattern="\d{4}-\d{2}" value={period()} onInput={(e) => setPeriod(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary" disabled={creating.fetching}>
          {creating.fetching ? "Building…" : "Create invoice"}
        </button>
      </form>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The invoice was not created." />
      </Show>
      <Switch>
        <Match when={invoices.error}>
          <ErrorPanel error={invoices.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={!invoices.data}>
          <SkeletonRows rows={4} label="Loading invoices" />
        </Match>
        <Match when={invoices.data?.invoices.length === 0}>
          <p class="empty">No invoices yet. Create one for this month above to see what it would say so far.</p>
        </Match>
        <Match when={invoices.data}>
          <table class="table" aria-label="Invoices">
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col">Plan</th>
                <th scope="col">Total</th>
                <th scope="col">Issued</th>
                <th scope="col">Receipt</th>
              </tr>
            </thead>
            <tbody>
              <For each={invoices.data!.invoices}>
                {(invoice) => (
                  <tr data-testid="invoice-row" aria-selected={openId() === invoice.id}>
                    <td>
                      <button type="button" class="link-button" onClick={() => setOpenId(invoice.id)}>
                        {invoice.period}
                      </button>
                    </td>
                    <td>{invoice.planId}</td>
                    <td>{formatMoney(invoice.total, invoice.currency)}</td>
                    <td>{formatTimestamp(invoice.issuedAt)}</td>
                    <td>
                      <code class="hash">{invoice.receipt.sha256.slice(0, 12)}</code>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Match>
      </Switch>
      <Show keyed when={openId()}>
        {(id) => <InvoiceDetail id={id} />}
      </Show>
    </BillingLayout>
  );
}
