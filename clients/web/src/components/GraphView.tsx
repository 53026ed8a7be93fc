import { createMemo, For } from "solid-js";
import { KIND_COLOURS } from "../entities/entityKinds.ts";
import { layoutGraph } from "../graph/layoutGraph.ts";
import { followLink } from "../lib/navigation.ts";
import { hrefFor } from "../lib/route.ts";

/** A node to draw: `hops` from the centre (0 is the centre, pinned in the middle). */
export interface GraphNode {
  id: string;
  type: string;
  label: string;
  hops: number;
}
export interface GraphEdge {
  from: string;
  to: string;
  type: string;
}

const shorten = (text: string, max = 24) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Entities as an SVG graph — an entity's neighbourhood with the entity in the
 * middle, or the nodes a question's result touched — each node a link to the
 * entity's page (Tab moves between them, Enter opens).
 */
export function GraphView(props: { nodes: readonly GraphNode[]; edges: readonly GraphEdge[]; centreId?: string; label?: string }) {
  const layout = createMemo(() => layoutGraph(props.nodes, props.edges));
  const position = (id: string) => layout().positions.get(id);
  const viewBox = () => {
    const b = layout().bounds;
    return `${b.minX} ${b.minY} ${b.width} ${b.height}`;
  };
  return (
    <svg
      class="graph"
      viewBox={viewBox()}
      preserveAspectRatio="xMidYMid meet"
      role="group"
      aria-label={props.label ?? "Neighbourhood graph"}
    >
      <g class="graph-edges" aria-hidden="true">
        <For each={props.edges}>
          {(edge) => {
            const from = () => position(edge.from);
            const to = () => position(edge.to);
            return (
              <>
                {from() && to() && (
                  <g>
                    <line x1={from()!.x} y1={from()!.y} x2={to()!.x} y2={to()!.y} />
                    <text class="edge-label" x={(from()!.x + to()!.x) / 2} y={(from()!.y + to()!.y) / 2}>
                      {edge.type}
                    </text>
                  </g>
                )}
              </>
            );
          }}
        </For>
      </g>
      <For each={props.nodes}>
        {(node) => {
          const p = () => position(node.id) ?? { x: 0, y: 0 };
          const href = hrefFor({ name: "entity", id: node.id });
          const centre = node.id === props.centreId;
          return (
            // The <g> makes this template SVG: a lone <a> would be created as an HTML link.
            <g>
              <a
                href={href}
                class="graph-node"
                classList={{ centre }}
                aria-label={`${node.type} ${node.label}${centre ? " (this entity)" : ""}`}
                onClick={(e) => followLink(e, href)}
              >
                <circle cx={p().x} cy={p().y} r={centre ? 18 : 12} fill={KIND_COLOURS[node.type] ?? "#64748b"} />
                <text x={p().x} y={p().y + (centre ? 34 : 28)} text-anchor="middle">
                  {shorten(node.label)}
                </text>
              </a>
            </g>
          );
        }}
      </For>
    </svg>
  );
}
