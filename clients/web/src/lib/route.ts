/** The console's screens as data: parse a location into a route and back. */
export type Route =
  | { name: "sign-in"; next?: string }
  | { name: "overview" }
  | { name: "ingest" }
  | { name: "ingest-job"; jobId: string }
  | { name: "entities"; query: string }
  | { name: "entity"; id: string }
  | { name: "audit"; search: string }
  | { name: "ask"; question: string }
  | { name: "reports" }
  | { name: "report"; id: string }
  | { name: "report-version"; id: string; version: number }
  | { name: "billing" }
  | { name: "billing-limits" }
  | { name: "billing-plan" }
  | { name: "billing-invoices" }
  | { name: "playbooks" }
  | { name: "playbook-new" }
  | { name: "playbook-shared" }
  | { name: "playbook"; id: string }
  | { name: "playbook-run"; id: string }
  | { name: "connectors" }
  | { name: "connector"; id: string }
  | { name: "indicators"; query: string; order: string }
  | { name: "suppression-rules" }
  | { name: "not-found"; path: string };

const enc = encodeURIComponent;

export function parseRoute(pathname: string, search = ""): Route {
  const params = new URLSearchParams(search);
  const parts = pathname.replace(/\/+$/, "").split("/").filter(Boolean).map(decodeURIComponent);
  const [first, second, third, fourth] = parts;
  if (parts.length === 0) return { name: "overview" };
  if (first === "sign-in" && parts.length === 1) {
    const next = params.get("next");
    return next && next.startsWith("/") && !next.startsWith("//") ? { name: "sign-in", next } : { name: "sign-in" };
  }
  if (first === "ingest" && parts.length === 1) return { name: "ingest" };
  if (first === "ingest" && second === "jobs" && third && parts.length === 3) return { name: "ingest-job", jobId: third };
  if (first === "entities" && parts.length === 1) return { name: "entities", query: params.get("q") ?? "" };
  if (first === "entities" && second && parts.length === 2) return { name: "entity", id: second };
  if (first === "audit" && parts.length === 1) return { name: "audit", search: params.toString() };
  if (first === "ask" && parts.length === 1) return { name: "ask", question: params.get("q") ?? "" };
  if (first === "reports" && parts.length === 1) return { name: "reports" };
  if (first === "reports" && second && parts.length === 2) return { name: "report", id: second };
  if (first === "reports" && second && third === "versions" && fourth && /^[1-9]\d*$/.test(fourth) && parts.length === 4)
    return { name: "report-version", id: second, version: Number(fourth) };
  if (first === "billing" && parts.length === 1) return { name: "billing" };
  if (first === "billing" && parts.length === 2 && (second === "limits" || second === "plan" || second === "invoices"))
    return { name: `billing-${second}` };
  if (first === "playbooks" && parts.length === 1) return { name: "playbooks" };
  if (first === "playbooks" && second === "new" && parts.length === 2) return { name: "playbook-new" };
  if (first === "playbooks" && second === "shared" && parts.length === 2) return { name: "playbook-shared" };
  if (first === "playbooks" && second === "runs" && third && parts.length === 3) return { name: "playbook-run", id: third };
  if (first === "playbooks" && second && parts.length === 2) return { name: "playbook", id: second };
  if (first === "connectors" && parts.length === 1) return { name: "connectors" };
  if (first === "connectors" && second && parts.length === 2) return { name: "connector", id: second };
  if (first === "indicators" && parts.length === 1)
    return { name: "indicators", query: params.get("q") ?? "", order: params.get("sort") ?? "" };
  if (first === "suppression-rules" && parts.length === 1) return { name: "suppression-rules" };
  return { name: "not-found", path: pathname };
}

export function hrefFor(route: Route): string {
  switch (route.name) {
    case "sign-in":
      return route.next ? `/sign-in?next=${enc(route.next)}` : "/sign-in";
    case "overview":
      return "/";
    case "ingest":
      return "/ingest";
    case "ingest-job":
      return `/ingest/jobs/${enc(route.jobId)}`;
    case "entities":
      return route.query ? `/entities?q=${enc(route.query)}` : "/entities";
    case "entity":
      return `/entities/${enc(route.id)}`;
    case "audit":
      return route.search ? `/audit?${route.search}` : "/audit";
    case "ask":
      return route.question ? `/ask?q=${enc(route.question)}` : "/ask";
    case "reports":
      return "/reports";
    case "report":
      return `/reports/${enc(route.id)}`;
    case "report-version":
      return `/reports/${enc(route.id)}/versions/${route.version}`;
    case "billing":
      return "/billing";
    case "billing-limits":
      return "/billing/limits";
    case "billing-plan":
      return "/billing/plan";
    case "billing-invoices":
      return "/billing/invoices";
    case "playbooks":
      return "/playbooks";
    case "playbook-new":
      return "/playbooks/new";
    case "playbook-shared":
      return "/playbooks/shared";
    case "playbook":
      return `/playbooks/${enc(route.id)}`;
    case "playbook-run":
      return `/playbooks/runs/${enc(route.id)}`;
    case "connectors":
      return "/connectors";
    case "connector":
      return `/connectors/${enc(route.id)}`;
    case "indicators": {
      const params = new URLSearchParams();
      if (route.query) params.set("q", route.query);
      if (route.order) params.set("sort", route.order);
      const search = params.toString();
      return search ? `/indicators?${search}` : "/indicators";
    }
    case "suppression-rules":
      return "/suppression-rules";
    case "not-found":
      return route.path;
  }
}

/** Screens that need no session. */
export const isPublic = (route: Route) => route.name === "sign-in";
