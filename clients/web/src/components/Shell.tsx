import { For, Show, type JSX } from "solid-js";
import type { LiveState } from "../api/liveState.ts";
import { session, setSession } from "../api/session.ts";
import { navigate, route } from "../lib/navigation.ts";
import { LiveBadge } from "./LiveBadge.tsx";
import { Link } from "./Link.tsx";
import { MarkingBadge } from "../intel/MarkingBadge.tsx";

const NAV = [
  { href: "/", label: "Overview", match: ["overview"] },
  { href: "/ingest", label: "Ingest", match: ["ingest", "ingest-job"] },
  { href: "/entities", label: "Entities", match: ["entities", "entity"] },
  { href: "/indicators", label: "Indicators", match: ["indicators"] },
  { href: "/suppression-rules", label: "Suppression rules", match: ["suppression-rules"] },
  { href: "/ask", label: "Ask", match: ["ask"] },
  { href: "/reports", label: "Reports", match: ["reports", "report", "report-version"] },
  { href: "/playbooks", label: "Playbooks", match: ["playbooks", "playbook-new", "playbook-shared", "playbook", "playbook-run"] },
  { href: "/connectors", label: "Connectors", match: ["connectors", "connector"] },
  { href: "/audit", label: "Audit log", match: ["audit"] },
  { href: "/billing", label: "Billing", match: ["billing", "billing-limits", "billing-plan", "billing-invoices"] },
];

const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform);

/** The frame around every signed-in screen: navigation, tenant, live state, palette and sign-out. */
export function Shell(props: { live: LiveState; onOpenPalette: () => void; children: JSX.Element }) {
  const signOut = () => {
    setSession(null);
    navigate({ name: "sign-in" });
  };
  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">IntelGraph</span>
        <span class="tenant" title="Your tenant">
          {session()?.user.tenant.name}
        </span>
        <button type="button" class="palette-button" onClick={() => props.onOpenPalette()} aria-keyshortcuts="Control+K Meta+K">
          Jump to… <kbd>{isMac() ? "⌘" : "Ctrl"} K</kbd>
        </button>
        <LiveBadge state={props.live} />
        <span class="user">
          {session()?.user.displayName ?? session()?.user.email} · {session()?.user.role.toLowerCase()}
        </span>
        {/* Sessions stored before clearances existed have none: nothing to show until the next sign-in. */}
        <Show when={session()?.user.clearance}>
          {(clearance) => (
            <span class="clearance" data-testid="clearance" title="Your clearance: you never see anything marked above it">
              cleared to <MarkingBadge marking={clearance()} />
            </span>
          )}
        </Show>
        <button type="button" class="link-button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav class="sidebar" aria-label="Screens">
        <ul>
          <For each={NAV}>
            {(item) => (
              <li>
                <Link href={item.href} aria-current={item.match.includes(route().name) ? "page" : undefined}>
                  {item.label}
                </Link>
              </li>
            )}
          </For>
        </ul>
      </nav>
      <main id="main" class="content" tabindex="-1">
        {props.children}
      </main>
    </div>
  );
}
