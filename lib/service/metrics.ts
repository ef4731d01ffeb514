import type { IncomingMessage, ServerResponse } from "node:http";

/** One Prometheus sample: a counter or gauge with its help text. */
export interface Metric {
  name: string;
  help: string;
  type: "counter" | "gauge";
  value: number;
  labels?: Record<string, string>;
}

/** `GET /metrics` in the Prometheus text format, read fresh on each scrape. */
export function metricsRoute(read: () => Metric[]) {
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (new URL(req.url ?? "/", "http://x").pathname !== "/metrics") return false;
    const text = read().map((m) => {
      const labels = m.labels ? `{${Object.entries(m.labels).map(([k, v]) => `${k}="${v}"`).join(",")}}` : "";
      return `# HELP ${m.name} ${m.help}\n# TYPE ${m.name} ${m.type}\n${m.name}${labels} ${m.value}\n`;
    }).join("");
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(text);
    return true;
  };
}
