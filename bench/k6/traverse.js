// k6 script for bench/traverse50k.ts: `neighbourhood(id, hops)` through the
// gateway, from random start entities of a ~50k-node graph. One scenario per
// hop count, run one after the other (closed model, VUS users, no think time).
//
//   k6 run -e URL=… -e TOKEN=… -e IDS=ids.json -e SUMMARY=out.json bench/k6/traverse.js
//
// Env: URL, TOKEN (session of the tenant's admin), IDS (a JSON file with the
// start ids), VUS (2), DURATION (20s per hop count), LIMIT (the query's node
// limit, 200), SUMMARY (where to write the JSON summary).
import http from "k6/http";
import { check } from "k6";
import { Rate, Trend } from "k6/metrics";

const URL = __ENV.URL;
const TOKEN = __ENV.TOKEN;
if (!URL || !TOKEN || !__ENV.IDS) throw new Error("set URL, TOKEN and IDS (-e URL=… -e TOKEN=… -e IDS=file.json)");
const IDS = JSON.parse(open(__ENV.IDS));
const VUS = Number(__ENV.VUS || 2);
const DURATION = __ENV.DURATION || "20s";
const LIMIT = Number(__ENV.LIMIT || 200);
const seconds = (d) => Number(String(d).replace(/s$/, ""));

const QUERY =
  "query Neighbourhood($id: ID!, $hops: Int!, $limit: Int) { neighbourhood(id: $id, hops: $hops, limit: $limit) { truncated nodes { id type label hops } edges { from to type confidence } } }";

const errors = new Rate("graphql_errors");
const truncated = new Rate("truncated");
const nodes = new Trend("nodes_returned");

const scenario = (hops, index) => ({
  executor: "constant-vus",
  exec: "traverse",
  vus: VUS,
  duration: DURATION,
  startTime: `${index * (seconds(DURATION) + 2)}s`,
  gracefulStop: "5s",
  env: { HOPS: String(hops) },
  tags: { hops: String(hops) },
});

export const options = {
  scenarios: { hops1: scenario(1, 0), hops2: scenario(2, 1), hops3: scenario(3, 2) },
  summaryTrendStats: ["avg", "min", "med", "p(90)", "p(95)", "p(99)", "max"],
  thresholds: {
    graphql_errors: ["rate<0.01"],
    // Listed so the summary carries each hop count's own figures.
    "http_req_duration{hops:1}": ["max>=0"],
    "http_req_duration{hops:2}": ["max>=0"],
    "http_req_duration{hops:3}": ["max>=0"],
    "http_reqs{hops:1}": ["count>=0"],
    "http_reqs{hops:2}": ["count>=0"],
    "http_reqs{hops:3}": ["count>=0"],
    "nodes_returned{hops:1}": ["max>=0"],
    "nodes_returned{hops:2}": ["max>=0"],
    "nodes_returned{hops:3}": ["max>=0"],
    "truncated{hops:1}": ["rate>=0"],
    "truncated{hops:2}": ["rate>=0"],
    "truncated{hops:3}": ["rate>=0"],
  },
};

const PARAMS = { headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` } };

export function traverse() {
  const hops = Number(__ENV.HOPS);
  const id = IDS[Math.floor(Math.random() * IDS.length)];
  const res = http.post(
    URL,
    JSON.stringify({ query: QUERY, variables: { id, hops, limit: LIMIT }, operationName: "Neighbourhood" }),
    PARAMS,
  );
  let body = null;
  try {
    body = res.json();
  } catch {
    body = null;
  }
  const n = body && body.data && body.data.neighbourhood;
  const ok = check(res, {
    "status 200": (r) => r.status === 200,
    "no errors": () => body !== null && body.errors === undefined,
    "start node returned": () => Boolean(n) && n.nodes.some((x) => x.id === id && x.hops === 0),
  });
  errors.add(!ok);
  if (n) {
    nodes.add(n.nodes.length);
    truncated.add(n.truncated);
  }
  if (!ok && __ITER < 3) console.warn(`hops ${hops}: HTTP ${res.status} ${String(res.body).slice(0, 300)}`);
}

export function handleSummary(data) {
  const lines = [1, 2, 3].map((h) => {
    const d = data.metrics[`http_req_duration{hops:${h}}`];
    return d ? `hops ${h}: p50 ${d.values.med.toFixed(1)} ms, p95 ${d.values["p(95)"].toFixed(1)} ms` : `hops ${h}: no data`;
  });
  const out = `${lines.join("; ")}; errors ${(data.metrics.graphql_errors.values.rate * 100).toFixed(2)} %\n`;
  return __ENV.SUMMARY ? { [__ENV.SUMMARY]: JSON.stringify(data), stdout: out } : { stdout: out };
}
