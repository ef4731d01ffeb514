/** ECharts for the region overview, only the pieces it uses (loaded with that page only). */
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import { entryState, listType } from "./labels.js";

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export interface Stats {
  total: number;
  byCityAndType: Array<{ city: { code: string; name: string }; listType: string; count: number }>;
  byMonth: Array<{ month: string; listType: string; count: number }>;
  byState: Array<{ state: string; count: number }>;
}

const FONT = { fontFamily: "system-ui, 'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif" };

/** Draws (or redraws) an option into an element; the chart follows the element's size. */
export function render(el: HTMLElement, option: echarts.EChartsCoreOption): () => void {
  const chart = echarts.getInstanceByDom(el) ?? echarts.init(el);
  // No entry animation: the figures show at once (and a screenshot shows them).
  chart.setOption({ textStyle: FONT, animation: false, ...option }, true);
  const resize = () => chart.resize();
  window.addEventListener("resize", resize);
  return () => { window.removeEventListener("resize", resize); chart.dispose(); };
}

/** Series per list type over categories (cities or months), stacked. */
function stacked(categories: string[], rows: Array<{ at: string; listType: string; count: number }>, kind: "bar" | "line"): echarts.EChartsCoreOption {
  const types = [...new Set(rows.map((r) => r.listType))];
  return {
    tooltip: { trigger: "axis" },
    legend: { type: "scroll", top: 0 },
    grid: { left: 40, right: 16, top: 56, bottom: 30, containLabel: true },
    xAxis: { type: "category", data: categories },
    yAxis: { type: "value", minInterval: 1, name: "条目数" },
    series: types.map((t) => ({
      name: listType(t), type: kind, stack: "all", areaStyle: kind === "line" ? {} : undefined, emphasis: { focus: "series" },
      data: categories.map((c) => rows.filter((r) => r.at === c && r.listType === t).reduce((n, r) => n + r.count, 0)),
    })),
  };
}

export function byCity(s: Stats): echarts.EChartsCoreOption {
  const cities = [...new Set(s.byCityAndType.map((r) => r.city.name))];
  return stacked(cities, s.byCityAndType.map((r) => ({ at: r.city.name, listType: r.listType, count: r.count })), "bar");
}

export function byMonth(s: Stats): echarts.EChartsCoreOption {
  const months = [...new Set(s.byMonth.map((r) => r.month))].sort();
  return stacked(months, s.byMonth.map((r) => ({ at: r.month, listType: r.listType, count: r.count })), "line");
}

export function byState(s: Stats): echarts.EChartsCoreOption {
  return {
    tooltip: { trigger: "item" },
    legend: { type: "scroll", bottom: 0 },
    series: [{ type: "pie", radius: ["35%", "65%"], data: s.byState.map((r) => ({ name: entryState(r.state), value: r.count })), label: { formatter: "{b}\n{c}" } }],
  };
}
