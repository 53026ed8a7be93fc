import { createEffect, onCleanup, onMount } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

/** A daily bar-like line of one metric with uPlot, as wide as its frame (redrawn on resize and new data). */
export function UsageChart(props: { label: string; data: [number[], number[]] }) {
  let frame: HTMLDivElement | undefined;
  let plot: uPlot | undefined;
  const width = () => Math.max(280, frame?.clientWidth ?? 600);

  onMount(() => {
    const options: uPlot.Options = {
      width: width(),
      height: 240,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [{}, { size: 60 }],
      legend: { show: false },
      series: [
        {},
        {
          label: props.label,
          stroke: "#2563eb",
          fill: "rgba(37, 99, 235, 0.15)",
          width: 2,
          points: { show: true, size: 5 },
        },
      ],
    };
    plot = new uPlot(options, props.data, frame!);
    const resize = new ResizeObserver(() => plot?.setSize({ width: width(), height: 240 }));
    resize.observe(frame!);
    onCleanup(() => {
      resize.disconnect();
      plot?.destroy();
      plot = undefined;
    });
  });

  createEffect(() => {
    const data = props.data;
    plot?.setData(data);
  });

  return <div ref={frame} class="usage-chart" role="img" aria-label={props.label} data-testid="usage-chart" />;
}
