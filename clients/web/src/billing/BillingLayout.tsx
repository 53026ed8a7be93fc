import { createSubscription } from "@urql/solid";
import { createSignal, For, Show, type JSX } from "solid-js";
import {
  BudgetAlertRaisedDocument,
  type BillingAlertFieldsFragment,
  type BudgetAlertRaisedSubscription,
} from "../api/generated/graphql.ts";
import { Link } from "../components/Link.tsx";
import { HelpButton } from "../help/HelpButton.tsx";
import { route } from "../lib/navigation.ts";

const TABS = [
  { href: "/billing", label: "Usage", name: "billing" },
  { href: "/billing/limits", label: "Quotas and budget", name: "billing-limits" },
  { href: "/billing/plan", label: "Plan", name: "billing-plan" },
  { href: "/billing/invoices", label: "Invoices", name: "billing-invoices" },
] as const;

/**
 * The frame of the billing screens: their tabs, and a banner for budget and
 * quota alerts raised while one is open (budgetAlertRaised over graphql-ws).
 */
export function BillingLayout(props: { title: string; children: JSX.Element }) {
  const [raised, dismiss] = createAlertBanner();
  return (
    <section class="screen" aria-labelledby="billing-title">
      <h1 id="billing-title">
        {props.title} <HelpButton topic="billing" />
      </h1>
      <nav class="billing-tabs" aria-label="Billing">
        <For each={TABS}>
          {(tab) => (
            <Link href={tab.href} aria-current={route().name === tab.name ? "page" : undefined}>
              {tab.label}
            </Link>
          )}
        </For>
      </nav>
      <Show when={raised()}>
        {(alert) => (
          <div class="notice billing-banner" role="status" data-testid="billing-alert-banner">
            <strong>{alert().kind === "BUDGET" ? "Budget alert" : "Quota alert"}:</strong> {alert().message}{" "}
            <button type="button" class="small" onClick={dismiss}>
              Dismiss
            </button>
          </div>
        )}
      </Show>
      {props.children}
    </section>
  );
}

/** The newest alert raised since the screen opened, until dismissed. */
function createAlertBanner(): [() => BillingAlertFieldsFragment | null, () => void] {
  const [alerts] = createSubscription<BudgetAlertRaisedSubscription, { latest: BillingAlertFieldsFragment | null }>(
    { query: BudgetAlertRaisedDocument },
    (_previous, event) => ({ latest: event.budgetAlertRaised }),
  );
  const [dismissed, setDismissed] = createSignal<string | null>(null);
  const latest = () => {
    const alert = alerts.data?.latest ?? null;
    return alert && alert.id !== dismissed() ? alert : null;
  };
  return [latest, () => setDismissed(latest()?.id ?? null)];
}
