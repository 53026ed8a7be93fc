// k6 script for bench/gatewayThroughput.ts: a read mix against one gateway,
// closed model (VUS virtual users, no think time) for DURATION.
//
//   k6 run -e URL=http://127.0.0.1:4000/graphql -e TOKEN=<session> -e SUMMARY=out.json bench/k6/gatewayThroughput.js
//
// Env: URL, TOKEN (session token of a tenant admin), PEOPLE (how many Person
// nodes the tenant has, default 200), VUS (8), DURATION (20s), SUMMARY (where
// to write the JSON summary), RATE_LIMIT_HEADERS ("1": the security layers are
// on, so every answer must carry RateLimit-* headers; "0": none may).
import http from "k6/http";
import { check } from "k6";
import { Counter, Rate } from "k6/metrics";

const URL = __ENV.URL;
const TOKEN = __ENV.TOKEN;
const PEOPLE = Number(__ENV.PEOPLE || 200);
const EXPECT_LIMIT_HEADERS = __ENV.RATE_LIMIT_HEADERS;
if (!URL || !TOKEN) throw new Error("set URL and TOKEN (-e URL=… -e TOKEN=…)");

const QUERIES = [
  {
    // A page of the people list, the console's most common read (graph subgraph, Neo4j).
    name: "peoplePage",
    operationName: "PeoplePage",
    weight: 2,
    query: "query PeoplePage($offset: Int!) { people(limit: 20, offset: $offset, sort: [{ name: ASC }]) { id name } }",
    variables: () => ({ offset: 20 * Math.floor(Math.random() * Math.max(1, PEOPLE / 20)) }),
    ok: (data) => Array.isArray(data.people) && data.people.length > 0,
  },
  {
    // Who am I (governance subgraph, FerretDB), sent by every console page load.
    name: "me",
    operationName: "Me",
    weight: 1,
    query: "query Me { me { email tenant { name } } }",
    variables: () => ({}),
    ok: (data) => data.me !== null && typeof data.me.email === "string" && typeof data.me.tenant.name === "string",
  },
  {
    // One person by name (graph subgraph, filtered read).
    name: "personByName",
    operationName: "PersonByName",
    weight: 1,
    query: "query PersonByName($name: String!) { people(where: { name: { eq: $name } }) { id name email } }",
    variables: () => ({ name: `Bench Person ${String(Math.floor(Math.random() * PEOPLE)).padStart(4, "0")}` }),
    ok: (data) => Array.isArray(data.people) && data.people.length === 1,
  },
];
const DECK = QUERIES.flatMap((q) => Array(q.weight).fill(q));

// A request fails unless it is HTTP 200 with data and no `errors`.
const graphqlErrors = new Rate("graphql_errors");
const failedRequests = new Counter("failed_requests");
// The answer's RateLimit-* headers disagree with RATE_LIMIT_HEADERS: the wrong gateway is under test.
const layerMismatch = new Rate("layer_mismatch");

export const options = {
  scenarios: {
    reads: { executor: "constant-vus", vus: Number(__ENV.VUS || 8), duration: __ENV.DURATION || "20s", gracefulStop: "5s" },
  },
  discardResponseBodies: false,
  summaryTrendStats: ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"],
  thresholds: {
    // A failed response fails the run (k6 exits 99); the bench also checks ≤ 1 %.
    graphql_errors: ["rate<0.01"],
    layer_mismatch: ["rate==0"],
    // Listed so the summary carries per-query latency.
    "http_req_duration{query:peoplePage}": ["max>=0"],
    "http_req_duration{query:me}": ["max>=0"],
    "http_req_duration{query:personByName}": ["max>=0"],
  },
};

const PARAMS = {
  headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
};

export default function () {
  const q = DECK[Math.floor(Math.random() * DECK.length)];
  const res = http.post(URL, JSON.stringify({ query: q.query, variables: q.variables(), operationName: q.operationName }), {
    ...PARAMS,
    tags: { query: q.name },
  });
  let body = null;
  try {
    body = res.json();
  } catch {
    body = null;
  }
  const limitHeader = res.headers["Ratelimit-Limit"] !== undefined;
  const ok = check(
    res,
    {
      "status 200": (r) => r.status === 200,
      "no errors": () => body !== null && body.errors === undefined,
      "expected data": () => body !== null && body.data != null && q.ok(body.data),
    },
    { query: q.name },
  );
  if (EXPECT_LIMIT_HEADERS !== undefined) layerMismatch.add(limitHeader !== (EXPECT_LIMIT_HEADERS === "1"));
  graphqlErrors.add(!ok, { query: q.name });
  if (!ok) {
    failedRequests.add(1, { query: q.name });
    if (__ITER < 3) console.warn(`${q.name}: HTTP ${res.status} ${String(res.body).slice(0, 300)}`);
  }
}

export function handleSummary(data) {
  const reqs = data.metrics.http_reqs.values;
  const dur = data.metrics.http_req_duration.values;
  const line =
    `${reqs.count} requests, ${reqs.rate.toFixed(1)}/s, p50 ${dur.med.toFixed(1)} ms, p95 ${dur["p(95)"].toFixed(1)} ms, ` +
    `errors ${(data.metrics.graphql_errors.values.rate * 100).toFixed(2)} %\n`;
  return __ENV.SUMMARY ? { [__ENV.SUMMARY]: JSON.stringify(data), stdout: line } : { stdout: line };
}
