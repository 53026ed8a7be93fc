import { Provider } from "@urql/solid";
import { createEffect, createMemo, createSignal, lazy, Match, onCleanup, Show, Switch } from "solid-js";
import { createApiClient } from "./api/createApiClient.ts";
import type { LiveState } from "./api/liveState.ts";
import { currentToken, session, setSession } from "./api/session.ts";
import { refreshSession } from "./api/signIn.ts";
import { CommandPalette } from "./components/CommandPalette.tsx";
import { Shell } from "./components/Shell.tsx";
import { navigate, route, routeNamed } from "./lib/navigation.ts";
import { isPublic } from "./lib/route.ts";
import type { Command } from "./palette/rankCommands.ts";
import { UpgradeModal } from "./billing/UpgradeModal.tsx";
import { HelpPanel } from "./help/HelpPanel.tsx";
import { openHelp } from "./help/helpState.ts";
import { AskScreen } from "./screens/AskScreen.tsx";
import { ReportEditor } from "./screens/ReportEditor.tsx";
import { ReportsList } from "./screens/ReportsList.tsx";
import { ReportVersionScreen } from "./screens/ReportVersionScreen.tsx";
import { SavedAuditQueries } from "./audit/SavedAuditQueries.tsx";
import { AuditSearch } from "./screens/AuditSearch.tsx";
import { EntityPage } from "./screens/EntityPage.tsx";
import { EntitySearch } from "./screens/EntitySearch.tsx";
import { IngestJobView } from "./screens/IngestJobView.tsx";
import { IngestWizard } from "./screens/IngestWizard.tsx";
import { NotFound } from "./screens/NotFound.tsx";
import { Overview } from "./screens/Overview.tsx";
import { SignIn } from "./screens/SignIn.tsx";

export const API_URL = "/graphql";

// The billing screens (and uPlot) load on first visit, in a chunk of their own.
const UsageDashboard = lazy(() => import("./billing/UsageDashboard.tsx").then((m) => ({ default: m.UsageDashboard })));
const LimitsScreen = lazy(() => import("./billing/LimitsScreen.tsx").then((m) => ({ default: m.LimitsScreen })));
const PlanScreen = lazy(() => import("./billing/PlanScreen.tsx").then((m) => ({ default: m.PlanScreen })));
const InvoicesScreen = lazy(() => import("./billing/InvoicesScreen.tsx").then((m) => ({ default: m.InvoicesScreen })));
// Connectors and playbooks load on first visit too.
const ConnectorsScreen = lazy(() => import("./connectors/ConnectorsScreen.tsx").then((m) => ({ default: m.ConnectorsScreen })));
const PlaybooksList = lazy(() => import("./playbooks/PlaybooksList.tsx").then((m) => ({ default: m.PlaybooksList })));
const PlaybookEditor = lazy(() => import("./playbooks/PlaybookEditor.tsx").then((m) => ({ default: m.PlaybookEditor })));
const SharedPlaybookScreen = lazy(() => import("./playbooks/SharedPlaybookScreen.tsx").then((m) => ({ default: m.SharedPlaybookScreen })));
const PlaybookRunView = lazy(() => import("./playbooks/PlaybookRunView.tsx").then((m) => ({ default: m.PlaybookRunView })));
// Threat intel: the indicators list and the suppression rules.
const IndicatorsScreen = lazy(() => import("./intel/IndicatorsScreen.tsx").then((m) => ({ default: m.IndicatorsScreen })));
const SuppressionRulesScreen = lazy(() =>
  import("./intel/SuppressionRulesScreen.tsx").then((m) => ({ default: m.SuppressionRulesScreen })),
);
const ConnectorScreen = lazy(() => import("./connectors/ConnectorScreen.tsx").then((m) => ({ default: m.ConnectorScreen })));

const SCREENS: Command[] = [
  { id: "overview", title: "Overview", group: "Screen", keywords: "home dashboard tenant", href: "/" },
  { id: "ingest", title: "Ingest a file", group: "Screen", keywords: "upload import wizard", href: "/ingest" },
  { id: "entities", title: "Entity search", group: "Screen", keywords: "find people organisations domains", href: "/entities" },
  { id: "audit", title: "Audit log", group: "Screen", keywords: "events history who", href: "/audit" },
  { id: "ask", title: "Ask the graph", group: "Screen", keywords: "question query cypher natural language", href: "/ask" },
  {
    id: "help-ask",
    title: "Help: Ask the graph",
    group: "Help",
    keywords: "? sandbox confidence threshold cypher",
    href: "/ask",
    onChoose: () => openHelp("ask"),
  },
  { id: "reports", title: "Reports", group: "Screen", keywords: "findings evidence publish write", href: "/reports" },
  {
    id: "help-reports",
    title: "Help: Reports",
    group: "Help",
    keywords: "? validator broken links publish evidence",
    href: "/reports",
    onChoose: () => openHelp("reports"),
  },
  {
    id: "help-export",
    title: "Help: Exporting a report",
    group: "Help",
    keywords: "? export pdf residency region redaction download",
    href: "/reports",
    onChoose: () => openHelp("export"),
  },
  { id: "billing", title: "Billing: usage", group: "Screen", keywords: "usage metering chart csv onboarding cost", href: "/billing" },
  {
    id: "billing-limits",
    title: "Billing: quotas and budget",
    group: "Screen",
    keywords: "quota budget alerts webhook override limit",
    href: "/billing/limits",
  },
  {
    id: "billing-plan",
    title: "Billing: plan and upgrade",
    group: "Screen",
    keywords: "plan upgrade pricing compare team enterprise",
    href: "/billing/plan",
  },
  { id: "billing-invoices", title: "Billing: invoices", group: "Screen", keywords: "invoice receipt pdf csv", href: "/billing/invoices" },
  {
    id: "playbooks",
    title: "Playbooks",
    group: "Screen",
    keywords: "automation steps run schedule cron share",
    href: "/playbooks",
  },
  { id: "playbook-new", title: "New playbook", group: "Screen", keywords: "create automation", href: "/playbooks/new" },
  {
    id: "playbook-shared",
    title: "Open a shared playbook",
    group: "Screen",
    keywords: "share link token results",
    href: "/playbooks/shared",
  },
  {
    id: "connectors",
    title: "Connectors",
    group: "Screen",
    keywords: "servicenow incident dlq dead letter replay health integration",
    href: "/connectors",
  },
  {
    id: "indicators",
    title: "Indicators",
    group: "Screen",
    keywords: "threat intel ioc score confidence tlp marking stix",
    href: "/indicators",
  },
  {
    id: "suppression-rules",
    title: "Suppression rules",
    group: "Screen",
    keywords: "threat intel noise allow-list false positive hide dry run",
    href: "/suppression-rules",
  },
  {
    id: "help-billing",
    title: "Help: Billing",
    group: "Help",
    keywords: "? quota budget plan invoice override",
    href: "/billing",
    onChoose: () => openHelp("billing"),
  },
];

export function App() {
  const [live, setLive] = createSignal<LiveState>("idle");
  const [paletteOpen, setPaletteOpen] = createSignal(false);
  // A fresh client (empty cache, new socket) for every signed-in user.
  const userKey = createMemo(() => session()?.user.id ?? null);
  const api = createMemo(() => {
    userKey();
    const created = createApiClient({ url: API_URL, token: currentToken, onLiveState: setLive });
    onCleanup(() => created.dispose());
    setLive("idle");
    return created;
  });

  // Screens that need a session send the person to sign in first, and back afterwards.
  createEffect(() => {
    const current = route();
    if (!session() && !isPublic(current)) {
      navigate({ name: "sign-in", next: window.location.pathname + window.location.search }, { replace: true });
    } else if (session() && current.name === "sign-in") {
      navigate(current.next ?? "/", { replace: true });
    }
  });

  // Trade the refresh token for a new session a minute before this one expires.
  createEffect(() => {
    const current = session();
    if (!current) return;
    const client = api().client;
    const wait = Math.max(5_000, Date.parse(current.expiresAt) - Date.now() - 60_000);
    const timer = setTimeout(() => {
      // On failure the session simply ends at expiresAt and the next request asks to sign in again.
      void refreshSession(client, current.refreshToken).then((outcome) => {
        if (outcome.session) setSession(outcome.session);
      });
    }, wait);
    onCleanup(() => clearTimeout(timer));
  });

  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === "k" && session()) {
      event.preventDefault();
      setPaletteOpen((open) => !open);
    }
  };
  window.addEventListener("keydown", onKeyDown);
  onCleanup(() => window.removeEventListener("keydown", onKeyDown));

  return (
    <Show keyed when={api()}>
      {(current) => (
        <Provider value={current.client}>
          <Show when={session()} fallback={<SignIn next={routeNamed("sign-in")?.next} />}>
            <Shell live={live()} onOpenPalette={() => setPaletteOpen(true)}>
              <Switch fallback={<NotFound />}>
                <Match when={routeNamed("overview")}>
                  <Overview />
                </Match>
                <Match when={routeNamed("ingest")}>
                  <IngestWizard />
                </Match>
                <Match when={routeNamed("ingest-job")} keyed>
                  {(r) => <IngestJobView jobId={r.jobId} />}
                </Match>
                <Match when={routeNamed("entities")}>{(r) => <EntitySearch query={r().query} />}</Match>
                <Match when={routeNamed("entity")} keyed>
                  {(r) => <EntityPage id={r.id} />}
                </Match>
                <Match when={routeNamed("audit")}>{(r) => <AuditSearch search={r().search} savedQueries={SavedAuditQueries} />}</Match>
                <Match when={routeNamed("ask")}>{(r) => <AskScreen question={r().question} />}</Match>
                <Match when={routeNamed("reports")}>
                  <ReportsList />
                </Match>
                <Match when={routeNamed("report")} keyed>
                  {(r) => <ReportEditor id={r.id} />}
                </Match>
                <Match when={routeNamed("report-version")} keyed>
                  {(r) => <ReportVersionScreen id={r.id} version={r.version} />}
                </Match>
                <Match when={routeNamed("billing")}>
                  <UsageDashboard />
                </Match>
                <Match when={routeNamed("billing-limits")}>
                  <LimitsScreen />
                </Match>
                <Match when={routeNamed("billing-plan")}>
                  <PlanScreen />
                </Match>
                <Match when={routeNamed("billing-invoices")}>
                  <InvoicesScreen />
                </Match>
                <Match when={routeNamed("playbooks")}>
                  <PlaybooksList />
                </Match>
                <Match when={routeNamed("playbook-new")}>
                  <PlaybookEditor />
                </Match>
                <Match when={routeNamed("playbook-shared")}>
                  <SharedPlaybookScreen />
                </Match>
                <Match when={routeNamed("playbook")} keyed>
                  {(r) => <PlaybookEditor id={r.id} />}
                </Match>
                <Match when={routeNamed("playbook-run")} keyed>
                  {(r) => <PlaybookRunView id={r.id} />}
                </Match>
                <Match when={routeNamed("connectors")}>
                  <ConnectorsScreen />
                </Match>
                <Match when={routeNamed("connector")} keyed>
                  {(r) => <ConnectorScreen id={r.id} />}
                </Match>
                <Match when={routeNamed("indicators")}>{(r) => <IndicatorsScreen query={r().query} order={r().order} />}</Match>
                <Match when={routeNamed("suppression-rules")}>
                  <SuppressionRulesScreen />
                </Match>
              </Switch>
            </Shell>
            <HelpPanel />
            <UpgradeModal />
            <CommandPalette open={paletteOpen()} onClose={() => setPaletteOpen(false)} screens={SCREENS} />
          </Show>
        </Provider>
      )}
    </Show>
  );
}
