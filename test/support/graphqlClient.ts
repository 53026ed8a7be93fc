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
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse<T>> {
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

/** The `extensions.code` of every error, for exact assertions. */
export const codes = (response: GraphQLResponse<unknown>) => (response.errors ?? []).map((e) => e.extensions?.["code"]);
