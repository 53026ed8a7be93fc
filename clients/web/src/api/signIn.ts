import type { Client } from "@urql/core";
import { MeDocument, RefreshSessionDocument, SignInDocument } from "./generated/graphql.ts";
import type { Session } from "./session.ts";

type Outcome = { session: Session; error?: undefined } | { session?: undefined; error: unknown };

/** The session's user and tenant, asked with the new token (login's own answer cannot include the tenant). */
async function complete(client: Client, issued: Omit<Session, "user">): Promise<Outcome> {
  const me = await client
    .query(MeDocument, {}, { requestPolicy: "network-only", fetchOptions: { headers: { authorization: `Bearer ${issued.token}` } } })
    .toPromise();
  if (!me.data?.me) return { error: me.error ?? new Error("The API did not return the signed-in user.") };
  return { session: { ...issued, user: me.data.me } };
}

export async function signIn(client: Client, email: string, password: string): Promise<Outcome> {
  const result = await client.mutation(SignInDocument, { email, password }).toPromise();
  if (!result.data) return { error: result.error };
  return complete(client, result.data.login);
}

export async function refreshSession(client: Client, refreshToken: string): Promise<Outcome> {
  const result = await client.mutation(RefreshSessionDocument, { refreshToken }).toPromise();
  if (!result.data) return { error: result.error };
  return complete(client, result.data.refreshSession);
}
