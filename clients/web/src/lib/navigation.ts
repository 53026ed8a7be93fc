/** History-API navigation for the console: one signal with the current route. */
import { createSignal } from "solid-js";
import { hrefFor, parseRoute, type Route } from "./route.ts";

const read = () => parseRoute(window.location.pathname, window.location.search);
const [route, setRoute] = createSignal<Route>(read());

window.addEventListener("popstate", () => setRoute(read()));

export { route };

/** The current route when it is the named screen, else null: `<Match when={routeNamed("entity")}>{(r) => …}</Match>`. */
export function routeNamed<N extends Route["name"]>(name: N): Extract<Route, { name: N }> | null {
  const current = route();
  return current.name === name ? (current as Extract<Route, { name: N }>) : null;
}

export function navigate(to: Route | string, options: { replace?: boolean } = {}) {
  const href = typeof to === "string" ? to : hrefFor(to);
  if (href === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, "", href);
  else window.history.pushState(null, "", href);
  setRoute(read());
  window.scrollTo(0, 0);
}

/** Click handler for links: plain clicks navigate in place, modified clicks open as the browser would. */
export function followLink(event: MouseEvent, href: string) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(href);
}
