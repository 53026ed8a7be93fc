import http from "node:http";

/** Minimal HTTP GraphQL client for tests: returns status, headers and the parsed body. */
export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown>; path?: Array<string | number> }>;
}

export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; headers?: Record<string, string>; from?: string } = {},
): Promise<GraphQLResponse<T>> {
  if (options.from) return gqlFrom<T>(url, query, variables, { ...options, from: options.from });
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLResponse["errors"] };
  return { status: response.status, headers: response.headers, ...body };
}

/**
 * The same over node:http from a chosen local address (any of 127.0.0.0/8 on
 * loopback), so the gateway sees another client IP.
 */
function gqlFrom<T>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  options: { token?: string; headers?: Record<string, string>; from: string },
): Promise<GraphQLResponse<T>> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        localAddress: options.from,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...options.headers,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => {
          const parsed = JSON.parse(Buffer.concat(chunks).toString()) as { data?: T; errors?: GraphQLResponse["errors"] };
          const headers = new Headers();
          for (const [k, v] of Object.entries(response.headers)) if (typeof v === "string") headers.set(k, v);
          resolve({ status: response.statusCode ?? 0, headers, ...parsed });
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** The `extensions.code` of every error, for exact assertions. */
export const codes = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((e) => e.extensions?.["code"]);
