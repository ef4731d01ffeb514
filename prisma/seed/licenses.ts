// The administrative licenses (行政许可) of a generated enterprise. The kinds stay in code, not
// in data/: each one's content is built by code (random picks, conditions on the industry).
import { ANCHOR, addDays, addYears, dayBetween } from "./formats.js";
import { decisionNumber, issuingCity, kindsFor, type Ctx } from "./decisions.js";
import { WeightedTable } from "./random.js";
import type { LicenseRecord } from "./records.js";
import type { CityInfo } from "./runContext.js";
import { DEPTS, authorityName, type DeptKey } from "./words.js";

interface LicenseKind {
  name: string;
  dept: DeptKey;
  /** Validity in years; 0 = no expiry. */
  years: number;
  /** Industry-code prefixes the license applies to. */
  industries: string[];
  content(c: Ctx): string;
}

const LICENSE_KINDS: LicenseKind[] = [
  {
    name: "食品经营许可证", dept: "market", years: 5, industries: ["F521", "H6"],
    content: (c) => `经营场所：${c.ent.address}；经营项目：预包装食品（含冷藏冷冻食品）销售，散装食品销售${c.industry.code.startsWith("H") ? "，热食类食品制售" : ""}`,
  },
  {
    name: "排污许可证", dept: "eco", years: 5, industries: ["B", "C", "D441"],
    content: (c) => `行业类别：${c.industry.label}；主要污染物类别：${c.rng.pick(["废气、废水", "废气", "废水、一般工业固体废物"])}；排污权使用和交易信息：无`,
  },
  {
    name: "安全生产许可证", dept: "safety", years: 3, industries: ["B", "C26"],
    content: (c) => `许可范围：${c.industry.code === "B0610" ? "煤炭开采" : c.industry.code === "B0710" ? "石油天然气开采" : "危险化学品生产"}`,
  },
  {
    name: "建筑业企业资质证书", dept: "housing", years: 5, industries: ["E"],
    content: (c) => `资质类别及等级：${c.rng.pick(["建筑工程施工总承包贰级", "建筑工程施工总承包叁级", "市政公用工程施工总承包贰级", "施工劳务不分等级"])}`,
  },
  {
    name: "房地产开发企业资质证书", dept: "housing", years: 3, industries: ["K70"],
    content: (c) => `资质等级：${c.rng.pick(["贰级", "叁级", "暂定"])}`,
  },
  {
    name: "建设工程规划许可证", dept: "planning", years: 0, industries: ["K70", "E47", "C"],
    content: (c) => `建设项目名称：${c.ent.name}${c.rng.pick(["综合楼", "厂房", "住宅小区"])}项目；建设规模：${c.rng.int(20, 900) * 100}平方米`,
  },
  {
    name: "道路运输经营许可证", dept: "transport", years: 4, industries: ["G54", "B06"],
    content: (c) => `经营范围：道路普通货物运输${c.rng.chance(0.3) ? "，货物专用运输（集装箱）" : ""}`,
  },
  {
    name: "取水许可证", dept: "water", years: 5, industries: ["B", "C", "D", "A01"],
    content: (c) => `取水地点：${c.district}；取水方式：${c.rng.pick(["地下水", "地表水"])}；年取水量：${c.rng.int(1, 300)}万立方米`,
  },
  {
    name: "烟草专卖零售许可证", dept: "tobacco", years: 5, industries: ["F521"],
    content: (c) => `经营场所：${c.ent.address}；经营范围：卷烟、雪茄烟零售`,
  },
  {
    name: "特种设备使用登记证", dept: "market", years: 0, industries: ["B", "C", "D", "H61", "K70"],
    content: (c) => `设备类别：${c.rng.pick(["锅炉", "压力容器", "电梯", "起重机械", "场（厂）内专用机动车辆"])}；使用单位：${c.ent.name}`,
  },
  {
    name: "生鲜乳收购许可证", dept: "agri", years: 2, industries: ["C1441", "A0311"],
    content: (c) => `收购站地址：${c.ent.address}`,
  },
  {
    name: "动物防疫条件合格证", dept: "agri", years: 0, industries: ["A03"],
    content: (c) => `场所地址：${c.ent.address}；经营范围：${c.industry.label}`,
  },
  {
    name: "医疗机构执业许可证", dept: "health", years: 5, industries: ["Q84"],
    content: () => "诊疗科目：预防保健科；内科；外科；妇产科；儿科；医学检验科；医学影像科",
  },
  {
    name: "办学许可证", dept: "education", years: 5, industries: ["P"],
    content: () => "办学层次：初级中学；办学形式：全日制",
  },
  {
    name: "检验检测机构资质认定证书", dept: "market", years: 6, industries: ["M745"],
    content: () => "检验检测能力范围：建筑材料、食品、环境监测",
  },
];

const LICENSE_COUNTS = new WeightedTable([[0, 45], [1, 30], [2, 17], [3, 8]]);
const licenseKindsByIndustry = new Map<string, LicenseKind[]>();

export function licenses(c: Ctx, home: CityInfo, index: number): LicenseRecord[] {
  const kinds = kindsFor(licenseKindsByIndustry, LICENSE_KINDS, c.industry.code);
  const count = LICENSE_COUNTS.pick(c.rng);
  if (kinds.length === 0 || count === 0) return [];
  const out: LicenseRecord[] = [];
  for (let k = 1; k <= count; k++) {
    const kind = c.rng.pick(kinds);
    const city = issuingCity(c.rng, home, 0.88);
    const decidedOn = dayBetween(c.rng, c.ent.establishedOn, ANCHOR);
    const dept = DEPTS[kind.dept];
    out.push({
      uscc: c.ent.uscc,
      decisionNumber: decisionNumber(city, dept, "许", decidedOn, index, k),
      licenseName: kind.name,
      authority: authorityName(dept, city.city),
      decidedOn,
      validUntil: kind.years ? addDays(addYears(decidedOn, kind.years), -1) : null,
      content: kind.content(c),
      issuingCityCode: city.city.code,
    });
  }
  return out;
}
