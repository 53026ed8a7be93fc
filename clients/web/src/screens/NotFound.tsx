import { Link } from "../components/Link.tsx";

export function NotFound() {
  return (
    <section class="screen">
      <h1>Nothing here</h1>
      <p>
        The console has no screen at <code>{window.location.pathname}</code>. <Link href="/">Go to the overview</Link> or press Ctrl K to
        jump somewhere.
      </p>
    </section>
  );
}
