import { createQuery, useClient } from "@urql/solid";
import { createSignal, For, Match, Show, Switch } from "solid-js";
import { InvoiceDocument, InvoiceDocumentDocument, type InvoiceFormat } from "../api/generated/graphql.ts";
import { ErrorPanel } from "../components/ErrorPanel.tsx";
import { SkeletonRows } from "../components/Skeleton.tsx";
import { formatCount } from "../lib/format.ts";
import { formatMoney, formatUnitPrice } from "./billingFormat.ts";
import { downloadBase64 } from "../lib/download.ts";

const FORMATS: InvoiceFormat[] = ["PDF", "CSV", "JSON"];

/** One invoice: its lines, subtotal and total, receipt, and downloads as PDF, CSV or JSON. */
export function InvoiceDetail(props: { id: string }) {
  const client = useClient();
  const [invoice, refetch] = createQuery({ query: InvoiceDocument, variables: () => ({ id: props.id }), requestPolicy: "network-only" });
  const [downloading, setDownloading] = createSignal<InvoiceFormat | null>(null);
  const [error, setError] = createSignal<unknown>(null);

  const download = async (format: InvoiceFormat) => {
    setDownloading(format);
    setError(null);
    const result = await client.query(InvoiceDocumentDocument, { id: props.id, format }, { requestPolicy: "network-only" }).toPromise();
    setDownloading(null);
    const doc = result.data?.invoice?.document;
    if (!doc) return setError(result.error ?? new Error("The document came back empty."));
    downloadBase64(doc.base64, doc.filename, doc.contentType);
  };

  return (
    <section class="panel" aria-labelledby="invoice-title" data-testid="invoice-detail">
      <Switch>
        <Match when={invoice.error}>
          <ErrorPanel error={invoice.error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
        </Match>
        <Match when={invoice.data && !invoice.data.invoice}>
          <p class="empty">That invoice is not there any more.</p>
        </Match>
        <Match when={!invoice.data}>
          <SkeletonRows rows={6} label="Loading the invoice" />
        </Match>
        <Match when={invoice.data?.invoice}>
          {(inv) => (
            <>
              <div class="panel-head">
                <h2 id="invoice-title">
                  Invoice {inv().period} · {inv().planId}
                </h2>
                <div class="actions">
                  <For each={FORMATS}>
                    {(format) => (
                      <button type="button" class="small" disabled={downloading() !== null} onClick={() => void download(format)}>
                        {downloading() === format ? "Preparing…" : `Download ${format}`}
                      </button>
                    )}
                  </For>
                </div>
              </div>
              <p class="muted">
                {inv().periodStart.slice(0, 10)} to {inv().periodEnd.slice(0, 10)} · receipt <code>{inv().receipt.id}</code> · sha256{" "}
                <code class="hash">{inv().receipt.sha256}</code>
              </p>
              <table class="table invoice-lines" aria-label="Invoice lines">
                <thead>
                  <tr>
                    <th scope="col">Item</th>
                    <th scope="col">Quantity</th>
                    <th scope="col">Included</th>
                    <th scope="col">Billable</th>
                    <th scope="col">Price</th>
                    <th scope="col">Amount</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={inv().lines}>
                    {(line) => (
                      <tr data-testid="invoice-line">
                        <td>{line.description}</td>
                        <td>{formatCount(line.quantity)}</td>
                        <td>{formatCount(line.included)}</td>
                        <td>{formatCount(line.billable)}</td>
                        <td>
                          {formatUnitPrice(line.unitPrice, inv().currency)} / {formatCount(line.per)}
                        </td>
                        <td>{formatMoney(line.amount, inv().currency)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={5}>
                      Subtotal
                    </th>
                    <td>{formatMoney(inv().subtotal, inv().currency)}</td>
                  </tr>
                  <tr>
                    <th scope="row" colSpan={5}>
                      Total
                    </th>
                    <td data-testid="invoice-total">
                      <strong>{formatMoney(inv().total, inv().currency)}</strong>
                    </td>
                  </tr>
                </tfoot>
              </table>
            </>
          )}
        </Match>
      </Switch>
      <Show when={error()}>
        <ErrorPanel error={error()} title="The document was not downloaded." />
      </Show>
    </section>
  );
}
