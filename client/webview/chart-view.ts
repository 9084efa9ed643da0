/**
 * The workload chart, inside its webview: four time charts on one time axis
 * (replicas; CPU and memory per pod against request and limit; requests in
 * flight and per second), with markers for rollouts, rescales, restarts and
 * evictions drawn across every chart and listed below. uPlot is bundled into
 * this script; nothing is fetched. Answers `report` with what it has drawn.
 */
import uPlot from 'uplot';
import type { ChartData, ChartMarker, ChartReport, FromWebview, MarkerKind, ToWebview } from './chart-messages';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };
const host = acquireVsCodeApi();

type SeriesKey = Exclude<keyof ChartData, 'title' | 'autoscaler' | 't' | 'markers' | 'notes'>;

interface Line {
  key: SeriesKey;
  label: string;
  color: string;
  dash?: number[];
  step?: boolean;
}

interface Panel {
  title: string;
  lines: Line[];
}

const themeColor = (name: string, fallback: string) =>
  getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;

const COLORS = {
  blue: themeColor('--vscode-charts-blue', '#3794ff'),
  green: themeColor('--vscode-charts-green', '#89d185'),
  orange: themeColor('--vscode-charts-orange', '#d18616'),
  red: themeColor('--vscode-charts-red', '#f14c4c'),
  purple: themeColor('--vscode-charts-purple', '#b180d7'),
  yellow: themeColor('--vscode-charts-yellow', '#cca700'),
  text: themeColor('--vscode-foreground', '#cccccc'),
  grid: themeColor('--vscode-editorWidget-border', '#454545'),
};

const MARKER_COLORS: Record<MarkerKind, string> = {
  rollout: COLORS.purple,
  rescale: COLORS.green,
  restart: COLORS.orange,
  eviction: COLORS.red,
};

const PANELS: Panel[] = [
  {
    title: 'Replicas',
    lines: [
      { key: 'desired', label: 'desired', color: COLORS.blue, step: true },
      { key: 'ready', label: 'ready', color: COLORS.green, step: true },
    ],
  },
  {
    title: 'CPU per pod (millicores)',
    lines: [
      { key: 'cpuAvg', label: 'average', color: COLORS.blue },
      { key: 'cpuMax', label: 'busiest pod', color: COLORS.orange },
      { key: 'cpuRequest', label: 'request', color: COLORS.green, dash: [6, 4] },
      { key: 'cpuLimit', label: 'limit', color: COLORS.red, dash: [2, 4] },
    ],
  },
  {
    title: 'Memory per pod (MiB)',
    lines: [
      { key: 'memoryAvg', label: 'average', color: COLORS.blue },
      { key: 'memoryMax', label: 'busiest pod', color: COLORS.orange },
      { key: 'memoryRequest', label: 'request', color: COLORS.green, dash: [6, 4] },
      { key: 'memoryLimit', label: 'limit', color: COLORS.red, dash: [2, 4] },
    ],
  },
  {
    title: 'Requests',
    lines: [
      { key: 'inFlight', label: 'in flight', color: COLORS.yellow },
      { key: 'perSecond', label: 'per second', color: COLORS.blue },
    ],
  },
];

let markers: ChartMarker[] = [];
const plots: uPlot[] = [];

/** Draws each marker as a vertical line across the plot; the replicas chart labels them too. */
function markerPlugin(labelled: boolean): uPlot.Plugin {
  return {
    hooks: {
      draw: (u: uPlot) => {
        const ctx = u.ctx;
        const { top, height } = u.bbox;
        ctx.save();
        ctx.font = `${Math.round(10 * devicePixelRatio)}px sans-serif`;
        for (const m of markers) {
          const x = Math.round(u.valToPos(m.t, 'x', true));
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.strokeStyle = MARKER_COLORS[m.kind];
          ctx.fillStyle = MARKER_COLORS[m.kind];
          ctx.lineWidth = devicePixelRatio;
          ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
          ctx.beginPath();
          ctx.moveTo(x, top);
          ctx.lineTo(x, top + height);
          ctx.stroke();
          if (labelled) ctx.fillText(m.kind, x + 3 * devicePixelRatio, top + 12 * devicePixelRatio);
        }
        ctx.restore();
      },
    },
  };
}

function size(): { width: number; height: number } {
  return { width: Math.max(320, document.body.clientWidth - 24), height: 170 };
}

function options(panel: Panel, index: number): uPlot.Options {
  return {
    title: panel.title,
    ...size(),
    cursor: { sync: { key: 'workload' } },
    scales: { x: { time: true } },
    axes: [
      { stroke: COLORS.text, grid: { stroke: COLORS.grid, width: 1 } },
      { stroke: COLORS.text, grid: { stroke: COLORS.grid, width: 1 } },
    ],
    series: [
      {},
      ...panel.lines.map((l) => {
        const s: uPlot.Series = { label: l.label, stroke: l.color, width: 2, spanGaps: false };
        if (l.dash) s.dash = l.dash;
        const stepped = l.step ? uPlot.paths.stepped?.({ align: 1 }) : undefined;
        if (stepped) s.paths = stepped;
        return s;
      }),
    ],
    plugins: [markerPlugin(index === 0)],
  };
}

function aligned(data: ChartData, panel: Panel): uPlot.AlignedData {
  return [data.t, ...panel.lines.map((l) => data[l.key])] as uPlot.AlignedData;
}

function text(id: string, value: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = value;
}

function renderMarkers(): void {
  const list = document.getElementById('markers');
  if (!list) return;
  list.replaceChildren(
    ...[...markers].reverse().map((m) => {
      const li = document.createElement('li');
      const dot = document.createElement('span');
      dot.className = `dot ${m.kind}`;
      li.append(dot, `${new Date(m.t * 1000).toLocaleTimeString()} ${m.kind}: ${m.text}`);
      return li;
    }),
  );
}

function show(data: ChartData): void {
  markers = data.markers;
  text('title', data.title);
  text('autoscaler', data.autoscaler ?? '');
  text('notes', data.notes.join(' '));
  const root = document.getElementById('charts');
  if (!root) return;
  PANELS.forEach((panel, i) => {
    const existing = plots[i];
    if (existing) existing.setData(aligned(data, panel));
    else plots.push(new uPlot(options(panel, i), aligned(data, panel), root));
  });
  renderMarkers();
}

function report(): ChartReport {
  const first = plots[0];
  const x = first?.scales.x;
  return {
    charts: plots.map((u, i) => ({
      title: PANELS[i]?.title ?? '',
      series: u.series.slice(1).map((s) => (typeof s.label === 'string' ? s.label : '')),
      points: u.data[0]?.length ?? 0,
      last: u.data.slice(1).map((d) => (d.length > 0 ? (d[d.length - 1] ?? null) : null)),
    })),
    markers,
    range: x && x.min !== undefined && x.max !== undefined ? [x.min, x.max] : null,
    width: document.body.clientWidth,
    height: document.body.clientHeight,
  };
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === 'data') show(message.data);
  else if (message.type === 'report') host.postMessage({ type: 'report', id: message.id, report: report() });
});
window.addEventListener('resize', () => {
  for (const u of plots) u.setSize(size());
});
host.postMessage({ type: 'ready' });
