import type { JSX } from "solid-js";
import { followLink } from "../lib/navigation.ts";

/** An `<a>` that navigates inside the console; keyboard and modified clicks behave as links do. */
export function Link(props: { href: string; class?: string; children: JSX.Element; "aria-current"?: "page" | undefined; title?: string }) {
  return (
    <a
      href={props.href}
      class={props.class}
      title={props.title}
      aria-current={props["aria-current"]}
      onClick={(e) => followLink(e, props.href)}
    >
      {props.children}
    </a>
  );
}
