import { describe, expect, it } from "vitest";
import { createIntelGraphClient } from "./createIntelGraphClient.ts";
import { CreatePlaybookDocument, MeDocument } from "./generated/graphql.ts";
import { IntelGraphError } from "./intelGraphError.ts";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "x-request-id": "req-1" } });

function fakeFetch(responses: Array<Response | Error>) {
  const calls: Array<{ headers: Record<string, string>; body: { operationName?: string } }> = [];
  const impl = (async (_url: string, init: RequestInit) => {
    calls.push({ headers: init.headers as Record<string, string>, body: JSON.parse(String(init.body)) });
    const next = responses.shift();
    if (!next) throw new Error("no more responses");
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof fetch;
  return { impl, calls };
}

describe("createIntelGraphClient", () => {
  it("sends the token and the operation name, and returns typed data", async () => {
    const { impl, calls } = fakeFetch([json(200, { data: { me: null } })]);
    const client = createIntelGraphClient({ url: "http://gw/graphql", token: "t0k", fetch: impl });
    expect(await client.request(MeDocument)).toEqual({ me: null });
    expect(calls[0]?.headers["authorization"]).toBe("Bearer t0k");
    expect(calls[0]?.body.operationName).toBe("Me");
  });

  it("turns GraphQL errors into one IntelGraphError with the code, status and request id", async () => {
    const { impl } = fakeFetch([json(401, { errors: [{ message: "Sign in", extensions: { code: "UNAUTHENTICATED" } }] })]);
    const client = createIntelGraphClient({ url: "http://gw/graphql", fetch: impl });
    const error = await client.request(MeDocument).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntelGraphError);
    expect(error).toMatchObject({ code: "UNAUTHENTICATED", status: 401, requestId: "req-1", codes: ["UNAUTHENTICATED"] });
  });

  it("retries a query after a network error or a 503, but never a mutation", async () => {
    const query = fakeFetch([new Error("ECONNRESET"), json(503, {}), json(200, { data: { me: null } })]);
    await expect(createIntelGraphClient({ url: "http://gw", fetch: query.impl }).request(MeDocument)).resolves.toEqual({ me: null });
    expect(query.calls).toHaveLength(3);

    const mutation = fakeFetch([new Error("ECONNRESET"), json(200, { data: {} })]);
    const error = await createIntelGraphClient({ url: "http://gw", fetch: mutation.impl })
      .request(CreatePlaybookDocument, { input: { name: "x", steps: [] } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "NETWORK_ERROR" });
    expect(mutation.calls).toHaveLength(1);
  });

  it("reports a non-GraphQL answer as HTTP_ERROR", async () => {
    const { impl } = fakeFetch([new Response("<html>bad gateway</html>", { status: 500 })]);
    await expect(createIntelGraphClient({ url: "http://gw", fetch: impl, retries: 0 }).request(MeDocument)).rejects.toMatchObject({
      code: "HTTP_ERROR",
      status: 500,
    });
  });
});
