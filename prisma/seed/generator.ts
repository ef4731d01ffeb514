/**
 * Deterministic demo data for the hub: enterprises of the partner cities with their
 * 双公示 records (licenses, penalties) and their legal representatives (法定代表人)
 * as individuals with professional qualifications.
 *
 * Pure: no I/O beyond the city registry read when lib/cities.js is imported, no clock,
 * no Math.random(). Records stream one enterprise at a time; the only state kept
 * across enterprises is one person counter per city, so a million enterprises need
 * no more memory than ten.
 *
 * Identifiers are valid by construction and unique without a "seen" set:
 * - USCC: positions 9–16 come from a seeded bijection of the enterprise index, so two
 *   enterprises of one run never share an organisation code (hence a USCC);
 * - ID number: a person is (city, local index); the local index goes through a seeded
 *   bijection onto (district, birth date, sequence) of that city, so the ID is unique
 *   and the person can be regenerated from the key alone (`individualAt`);
 * - decision / certificate numbers embed the enterprise index / person key.
 *
 * Dates are `YYYY-MM-DD` strings throughout; amounts are decimal strings in yuan.
 */
import { partnerCities, type City } from "../../lib/cities.js";
import { USCC_ALPHABET, idCheckDigit, orgCodeCheckChar, usccCheckChar } from "../../lib/ids/index.js";
import { WeightedTable, affinePermutation, hash32, rngFor, type Random } from "./random.js";

// ---------------------------------------------------------------------------
// Public record types (one field per column; dates as YYYY-MM-DD)
// ---------------------------------------------------------------------------

export type EnterpriseStatus = "ACTIVE" | "REVOKED" | "CANCELLED" | "SUSPENDED";
/** Registration authority + organisation type (USCC positions 1–2). */
export type UnitType = "91" | "92" | "93" | "12";
export type PenaltySeverity = "一般" | "严重";

export interface QualificationRecord {
  idNumber: string;
  title: string;
  certificateNumber: string;
  issuedBy: string;
  issuedOn: string;
  validUntil: string | null;
  issuingCityCode: string;
}

export interface IndividualRecord {
  /** The key the person is regenerated from: `local * cityCount + cityIndex`. */
  key: number;
  idNumber: string;
  name: string;
  cityCode: string;
  qualifications: QualificationRecord[];
}

export interface EnterpriseRecord {
  uscc: string;
  name: string;
  legalRepresentativeName: string;
  legalRepresentativeId: string;
  registeredCityCode: string;
  registeredCapital: string;
  establishedOn: string;
  status: EnterpriseStatus;
  industryCode: string;
  address: string;
}

export interface LicenseRecord {
  uscc: string;
  decisionNumber: string;
  licenseName: string;
  authority: string;
  decidedOn: string;
  validUntil: string | null;
  content: string;
  issuingCityCode: string;
}

export interface PenaltyRecord {
  uscc: string;
  decisionNumber: string;
  authority: string;
  decidedOn: string;
  content: string;
  fineAmount: string | null;
  issuingCityCode: string;
  publicityUntil: string;
  /** Not a column: the class that set publicityUntil. */
  severity: PenaltySeverity;
}

export interface GeneratedEnterprise {
  /** 0-based position in the run. */
  index: number;
  unitType: UnitType;
  enterprise: EnterpriseRecord;
  legalRepresentative: IndividualRecord;
  /** False when the person already represented an earlier enterprise of the run. */
  legalRepresentativeIsNew: boolean;
  licenses: LicenseRecord[];
  penalties: PenaltyRecord[];
}

export interface GenerateOptions {
  seed: number;
  enterprises: number;
  /** Defaults to the partner-city registry (lib/cities.json). */
  cities?: readonly City[];
}

// ---------------------------------------------------------------------------
// Dates (UTC day numbers, never the clock)
// ---------------------------------------------------------------------------

const ANCHOR = "2026-11-01";

/** The fixed "today" of the seed data: every generated date is on or before it. */
export function seedAnchorDate(): string {
  return ANCHOR;
}

const DAY_MS = 86_400_000;
function dayOf(iso: string): number {
  return Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
}
/** Day number → `YYYY-MM-DD` (Hinnant's civil_from_days; ~10× faster than Date#toISOString). */
function isoOf(day: number): string {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}
/** Same month and day n years later; 29 Feb becomes 28 Feb in a common year. */
export function addYears(iso: string, n: number): string {
  const y = Number(iso.slice(0, 4)) + n;
  let md = iso.slice(4);
  if (md === "-02-29" && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) md = "-02-28";
  return String(y).padStart(4, "0") + md;
}
function addDays(iso: string, n: number): string {
  return isoOf(dayOf(iso) + n);
}
function dayBetween(rng: Random, from: string, to: string): string {
  const a = dayOf(from), b = dayOf(to);
  return b <= a ? from : isoOf(rng.int(a, b));
}
function maxIso(a: string, b: string): string {
  return a > b ? a : b;
}
function minIso(a: string, b: string): string {
  return a < b ? a : b;
}

const ANCHOR_DAY = dayOf(ANCHOR);
const ESTABLISHED_FROM = dayOf("1995-01-01");
const BIRTH_FROM = dayOf("1950-01-01");
const BIRTH_DAYS = dayOf("2002-12-31") - BIRTH_FROM + 1;
/** Sequence codes 001–999 (000 is not issued). */
const SEQUENCES = 999;
/** Organisation codes are a bijection of the enterprise index onto [0, ORG_SPACE). */
const ORG_SPACE = 100_000_000;
/** Unified codes (the "MA…" organisation codes) were issued from October 2015. */
const UNIFIED_CODE_FROM = "2015-10-01";

// ---------------------------------------------------------------------------
// Publicity periods
// ---------------------------------------------------------------------------

/**
 * Years a penalty stays published, by severity, counted from the decision date.
 * A stand-in: the versioned publicity rules (DOMAIN.md, keyed by decision date and
 * regime, e.g. NDRC Order 2025 No. 36 from 2026-04-01) will replace this table.
 */
export const PUBLICITY_YEARS: Readonly<Record<PenaltySeverity, number>> = { 一般: 1, 严重: 3 };

// ---------------------------------------------------------------------------
// Word lists
// ---------------------------------------------------------------------------

const SURNAMES = new WeightedTable<string>([
  ["王", 72], ["李", 71], ["张", 68], ["刘", 55], ["陈", 45], ["杨", 31], ["赵", 20], ["黄", 18], ["周", 17], ["吴", 16],
  ["徐", 13], ["孙", 12], ["马", 12], ["胡", 11], ["朱", 11], ["郭", 11], ["何", 9], ["罗", 8], ["高", 8], ["林", 7],
  ["郑", 6], ["梁", 6], ["谢", 6], ["宋", 5], ["唐", 5], ["韩", 5], ["冯", 5], ["许", 5], ["曹", 4], ["彭", 4],
  ["曾", 4], ["田", 4], ["董", 4], ["袁", 3], ["潘", 3], ["于", 3], ["蒋", 3], ["蔡", 3], ["杜", 3], ["程", 3],
  ["苏", 3], ["魏", 3], ["吕", 3], ["丁", 2], ["任", 2], ["姚", 2], ["卢", 2], ["崔", 2], ["贾", 2], ["白", 2],
  ["薛", 2], ["闫", 2], ["雷", 2], ["侯", 2], ["史", 2], ["郝", 2], ["贺", 2], ["武", 2], ["段", 2], ["乔", 1],
  ["常", 1], ["康", 1], ["拓", 1], ["折", 0.5], ["欧阳", 0.3], ["司马", 0.1],
]);
const MALE_CHARS = "伟强军磊勇杰涛斌超明刚平辉鹏华飞鑫波宁浩凯健俊峰建国志文东海林亮龙成宏兵锋振旭晨博宇轩鸿立新德福生永泽瑞鹏".split("");
const FEMALE_CHARS = "芳娜敏静丽艳娟霞秀玲燕萍红梅琳莉婷雪慧颖倩洁晶丹蕾璐怡欣佳悦月兰英凤琴云玉春桂翠".split("");

const TRADE_NAMES = (
  "恒达 鑫源 华泰 宏远 金诚 永盛 瑞丰 天成 兴旺 德润 盛世 丰泽 博远 汇通 聚鑫 长青 新峰 华信 中天 同创 " +
  "嘉禾 福源 泰和 润达 安康 鼎盛 宏图 锦程 众诚 利民 昌盛 荣华 祥和 顺达 广源 正泰 启航 腾飞 卓越 明德 " +
  "黄河 塞上 陇原 秦川 草原 北斗 大漠 河套 宝塔 金沙 银泰 恒通 晋源 通达 凯盛 宏鑫 兴达 佳诚 盛达 华瑞"
).split(" ");

const ROADS = (
  "人民路 长城路 新建路 解放路 建设路 文化路 北大街 南大街 东环路 西环路 滨河路 迎宾大道 黄河路 友谊路 " +
  "振兴路 胜利路 朝阳路 和平路 世纪大道 开发区大道 创业路 科技路 工业园路 民族街 光明路 育才路"
).split(" ");

interface Industry {
  code: string;
  label: string;
  /** Words the name is built from; for 个体工商户 and 合作社 the full tail. */
  words: string[];
  weight: number;
  /** Extra weight in a city (by code): coal in 榆林, oil in 延安, dairy in 呼和浩特… */
  boost?: Record<string, number>;
}

const COMPANY_INDUSTRIES: Industry[] = [
  { code: "B0610", label: "烟煤和无烟煤开采洗选", words: ["煤业", "矿业", "能源"], weight: 3, boost: { "610800": 6, "620800": 3, "640100": 2 } },
  { code: "B0710", label: "石油开采", words: ["石油", "油气", "能源"], weight: 0.5, boost: { "610600": 8, "610800": 3 } },
  { code: "C1310", label: "谷物磨制", words: ["粮油", "面粉"], weight: 1.5 },
  { code: "C1441", label: "液体乳制造", words: ["乳业", "乳品"], weight: 0.5, boost: { "150100": 8, "640100": 2 } },
  { code: "C1512", label: "白酒制造", words: ["酒业", "酿酒"], weight: 1 },
  { code: "C2614", label: "有机化学原料制造", words: ["化工", "精细化工"], weight: 1.5, boost: { "610800": 3, "640100": 3 } },
  { code: "C3011", label: "水泥制造", words: ["水泥", "建材"], weight: 1.5 },
  { code: "C3120", label: "炼钢", words: ["钢铁", "特钢"], weight: 0.6, boost: { "620100": 3 } },
  { code: "C3216", label: "铝冶炼", words: ["铝业", "有色金属"], weight: 0.5, boost: { "620100": 3, "640100": 3, "150100": 2 } },
  { code: "D4411", label: "火力发电", words: ["热电", "电力"], weight: 1 },
  { code: "D4415", label: "风力发电", words: ["风电", "新能源"], weight: 1, boost: { "150100": 3, "640100": 3 } },
  { code: "D4416", label: "太阳能发电", words: ["光伏", "新能源"], weight: 1, boost: { "640100": 3 } },
  { code: "E4710", label: "住宅房屋建筑", words: ["建筑工程", "建设工程", "建筑"], weight: 6 },
  { code: "E4813", label: "市政道路工程建筑", words: ["路桥", "市政工程"], weight: 2 },
  { code: "F5211", label: "百货零售", words: ["商贸", "百货"], weight: 6 },
  { code: "F5212", label: "超级市场零售", words: ["超市", "商业"], weight: 3 },
  { code: "F5261", label: "汽车新车零售", words: ["汽车销售", "汽车贸易"], weight: 2 },
  { code: "G5431", label: "普通货物道路运输", words: ["物流", "运输"], weight: 4 },
  { code: "H6110", label: "旅游饭店", words: ["酒店", "宾馆"], weight: 1.5 },
  { code: "H6210", label: "正餐服务", words: ["餐饮", "餐饮管理"], weight: 3 },
  { code: "I6513", label: "应用软件开发", words: ["软件", "信息技术", "网络科技"], weight: 3 },
  { code: "K7010", label: "房地产开发经营", words: ["房地产开发", "置业"], weight: 3 },
  { code: "L7212", label: "投资与资产管理", words: ["投资", "实业"], weight: 2 },
  { code: "M7320", label: "工程和技术研究和试验发展", words: ["科技", "技术"], weight: 1.5 },
  { code: "O8111", label: "汽车修理与维护", words: ["汽车服务", "汽车维修"], weight: 1 },
];

const SOLE_TRADER_INDUSTRIES: Industry[] = [
  { code: "F5211", label: "百货零售", words: ["百货商店", "日用百货店"], weight: 4 },
  { code: "F5212", label: "超级市场零售", words: ["超市", "便民超市"], weight: 3 },
  { code: "H6210", label: "正餐服务", words: ["饭店", "餐馆", "牛肉面馆"], weight: 4 },
  { code: "H6220", label: "快餐服务", words: ["小吃店", "快餐店"], weight: 2 },
  { code: "O8111", label: "汽车修理与维护", words: ["汽车修理部", "汽修厂"], weight: 1.5 },
];

const COOPERATIVE_INDUSTRIES: Industry[] = [
  { code: "A0113", label: "玉米种植", words: ["玉米种植专业合作社", "种植专业合作社"], weight: 2 },
  { code: "A0141", label: "蔬菜种植", words: ["蔬菜种植专业合作社", "设施农业专业合作社"], weight: 2 },
  { code: "A0151", label: "仁果类和核果类水果种植", words: ["苹果种植专业合作社", "果业专业合作社"], weight: 1, boost: { "610600": 6, "620800": 4 } },
  { code: "A0311", label: "牛的饲养", words: ["肉牛养殖专业合作社", "养牛专业合作社"], weight: 1, boost: { "640100": 3, "620800": 3, "150100": 2 } },
  { code: "A0314", label: "羊的饲养", words: ["肉羊养殖专业合作社", "养羊专业合作社"], weight: 1, boost: { "610800": 3, "150100": 3, "640100": 2 } },
];

/** 事业单位: name tails without a trade name. */
const INSTITUTIONS: Industry[] = [
  { code: "M7511", label: "农林牧渔技术推广服务", words: ["农业技术推广中心"], weight: 2 },
  { code: "Q8431", label: "疾病预防控制中心", words: ["疾病预防控制中心"], weight: 1 },
  { code: "Q8411", label: "综合医院", words: ["人民医院", "中医医院"], weight: 1 },
  { code: "P8331", label: "普通初中教育", words: ["中学"], weight: 2 },
  { code: "R8831", label: "图书馆", words: ["图书馆"], weight: 0.5 },
  { code: "M7452", label: "检测服务", words: ["综合检验检测中心", "质量技术检验所"], weight: 1 },
];

const UNIT_TYPES = new WeightedTable<UnitType>([["91", 82], ["92", 10], ["93", 5], ["12", 3]]);
const STATUSES = new WeightedTable<EnterpriseStatus>([["ACTIVE", 88], ["CANCELLED", 6], ["REVOKED", 4], ["SUSPENDED", 2]]);
const COMPANY_FORMS = new WeightedTable([["有限公司", 6], ["有限责任公司", 3], ["股份有限公司", 1]] as const);
const INDUSTRIES_BY_TYPE: Record<UnitType, Industry[]> = { "91": COMPANY_INDUSTRIES, "92": SOLE_TRADER_INDUSTRIES, "93": COOPERATIVE_INDUSTRIES, "12": INSTITUTIONS };
/** Registered capital (or 开办资金 / 资金数额) in 万元, by unit type. */
const CAPITAL_WAN: Record<UnitType, WeightedTable<number>> = {
  "91": new WeightedTable([[10, 6], [30, 5], [50, 8], [100, 12], [200, 8], [300, 6], [500, 8], [1000, 8], [2000, 4], [3000, 3], [5000, 3], [10000, 2], [50000, 0.5]]),
  "92": new WeightedTable([[1, 3], [2, 2], [3, 3], [5, 4], [10, 4], [20, 2], [50, 1]]),
  "93": new WeightedTable([[10, 2], [20, 2], [50, 3], [100, 3], [200, 2], [500, 1]]),
  "12": new WeightedTable([[50, 2], [100, 3], [200, 3], [500, 2], [1000, 1], [2000, 0.5]]),
};

/** Relative share of the run registered in each city; unknown cities get 2. */
const CITY_WEIGHTS: Record<string, number> = { "620100": 4, "150100": 3.5, "640100": 3, "610800": 3, "610600": 2, "620800": 2 };
const PROVINCE_ABBR: Record<string, string> = { 陕西省: "陕", 甘肃省: "甘", 宁夏回族自治区: "宁", 内蒙古自治区: "蒙" };

// ---------------------------------------------------------------------------
// Authorities, licenses, penalties
// ---------------------------------------------------------------------------

interface Dept { name: string; abbr: string; national?: boolean }
const DEPTS = {
  market: { name: "市场监督管理局", abbr: "市监" },
  eco: { name: "生态环境局", abbr: "环" },
  safety: { name: "应急管理局", abbr: "应急" },
  housing: { name: "住房和城乡建设局", abbr: "建" },
  transport: { name: "交通运输局", abbr: "交" },
  water: { name: "水务局", abbr: "水" },
  tobacco: { name: "烟草专卖局", abbr: "烟" },
  health: { name: "卫生健康委员会", abbr: "卫" },
  education: { name: "教育局", abbr: "教" },
  planning: { name: "自然资源和规划局", abbr: "规" },
  agri: { name: "农业农村局", abbr: "农" },
  tax: { name: "税务局", abbr: "税", national: true },
} satisfies Record<string, Dept>;
type DeptKey = keyof typeof DEPTS;

function authorityName(dept: Dept, city: City): string {
  return dept.national ? `国家税务总局${city.name}${dept.name}` : `${city.name}${dept.name}`;
}

interface Ctx {
  rng: Random;
  ent: EnterpriseRecord;
  industry: Industry;
  district: string;
}

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

interface PenaltyKind { dept: DeptKey; industries: string[]; violation: string; law: string }
const PENALTY_KINDS: PenaltyKind[] = [
  { dept: "market", industries: [""], violation: "未按照规定期限公示年度报告", law: "《企业信息公示暂行条例》第八条" },
  { dept: "market", industries: [""], violation: "发布虚假广告，欺骗、误导消费者", law: "《中华人民共和国广告法》第四条" },
  { dept: "market", industries: ["F52", "H6"], violation: "销售超过保质期的食品", law: "《中华人民共和国食品安全法》第三十四条" },
  { dept: "market", industries: ["C"], violation: "生产不符合保障人体健康和人身、财产安全的国家标准的产品", law: "《中华人民共和国产品质量法》第十三条" },
  { dept: "eco", industries: ["B", "C", "D"], violation: "超过大气污染物排放标准排放大气污染物", law: "《中华人民共和国大气污染防治法》第十八条" },
  { dept: "eco", industries: ["B", "C", "E", "K"], violation: "未采取有效防尘降尘措施", law: "《中华人民共和国大气污染防治法》第六十九条" },
  { dept: "eco", industries: ["C", "D"], violation: "未依法取得排污许可证排放污染物", law: "《排污许可管理条例》第二条" },
  { dept: "safety", industries: ["B", "C", "E"], violation: "未按照规定对从业人员进行安全生产教育和培训", law: "《中华人民共和国安全生产法》第二十八条" },
  { dept: "safety", industries: ["B", "C26"], violation: "未对重大危险源登记建档并定期检测、评估、监控", law: "《中华人民共和国安全生产法》第四十条" },
  { dept: "housing", industries: ["E", "K"], violation: "未取得施工许可证擅自施工", law: "《建筑工程施工许可管理办法》第三条" },
  { dept: "housing", industries: ["K70"], violation: "未取得商品房预售许可证预售商品房", law: "《城市商品房预售管理办法》第六条" },
  { dept: "transport", industries: ["G54", "B06"], violation: "道路货物运输车辆超限运输", law: "《公路安全保护条例》第三十三条" },
  { dept: "tax", industries: [""], violation: "未按照规定期限办理纳税申报和报送纳税资料", law: "《中华人民共和国税收征收管理法》第二十五条" },
  { dept: "agri", industries: ["A03"], violation: "未按规定履行动物疫病强制免疫义务", law: "《中华人民共和国动物防疫法》第十七条" },
  { dept: "health", industries: ["Q"], violation: "使用非卫生技术人员从事医疗卫生技术工作", law: "《医疗机构管理条例》第二十七条" },
];

const FINES: Record<PenaltySeverity, WeightedTable<number>> = {
  一般: new WeightedTable([[2000, 3], [5000, 4], [10000, 5], [20000, 3], [30000, 2], [50000, 2], [100000, 1]]),
  严重: new WeightedTable([[100000, 3], [200000, 3], [500000, 2], [1000000, 1]]),
};
type PenaltyAction = "warning" | "fine" | "confiscate" | "suspend";
const ACTIONS: Record<PenaltySeverity, WeightedTable<PenaltyAction>> = {
  一般: new WeightedTable<PenaltyAction>([["warning", 15], ["fine", 70], ["confiscate", 10]]),
  严重: new WeightedTable<PenaltyAction>([["warning", 15], ["fine", 70], ["confiscate", 10], ["suspend", 10]]),
};

interface QualificationKind { title: string; code: string; issuer: (c: City) => string; years: number }
const QUALIFICATIONS: QualificationKind[] = [
  { title: "一级建造师", code: "JZ1", issuer: () => "中华人民共和国住房和城乡建设部", years: 0 },
  { title: "二级建造师", code: "JZ2", issuer: (c) => `${c.province}住房和城乡建设厅`, years: 0 },
  { title: "注册会计师", code: "CPA", issuer: (c) => `${c.province}注册会计师协会`, years: 0 },
  { title: "注册安全工程师", code: "AQ", issuer: () => "中华人民共和国应急管理部", years: 0 },
  { title: "执业药师", code: "YS", issuer: () => "国家药品监督管理局", years: 0 },
  { title: "法律职业资格", code: "FZ", issuer: () => "中华人民共和国司法部", years: 0 },
  { title: "注册造价工程师", code: "ZJ", issuer: () => "中华人民共和国住房和城乡建设部", years: 0 },
  { title: "特种作业操作证（电工作业）", code: "TZ", issuer: (c) => `${c.name}应急管理局`, years: 6 },
];

// ---------------------------------------------------------------------------
// Context for one run: per-city derived data and the ID bijections
// ---------------------------------------------------------------------------

const D_ENTERPRISE = 1, D_PERSON = 2, D_ORG = 3, D_ID = 4;

interface CityInfo {
  index: number;
  city: City;
  /** 榆林市 → 榆 (decision numbers). */
  abbr: string;
  provinceAbbr: string;
  /** Districts with their short form (神木市 → 神木). */
  districts: Array<{ code: string; name: string; short: string }>;
  /** The other partner cities (cross-city records). */
  others: CityInfo[];
  /** Industry pick per unit type, with this city's boosts applied. */
  industries: Record<UnitType, WeightedTable<Industry>>;
  idSpace: number;
  idPermutation: (x: number) => number;
}

interface RunContext {
  seed: number;
  cities: CityInfo[];
  cityTable: WeightedTable<CityInfo>;
  orgPermutation: (x: number) => number;
}

function shortName(name: string): string {
  return name.length > 2 ? name.replace(/(区|县|市|旗)$/, "") : name;
}

function runContext(seed: number, cities: readonly City[]): RunContext {
  if (cities.length === 0) throw new Error("no partner cities to generate for");
  const info = cities.map((city, index): CityInfo => {
    if (city.districts.length === 0) throw new Error(`city ${city.code} has no districts`);
    const idSpace = city.districts.length * BIRTH_DAYS * SEQUENCES;
    return {
      index,
      city,
      abbr: city.name[0],
      provinceAbbr: PROVINCE_ABBR[city.province] ?? city.province[0],
      districts: city.districts.map(([code, name]) => ({ code, name, short: shortName(name) })),
      others: [],
      industries: Object.fromEntries(
        (Object.keys(INDUSTRIES_BY_TYPE) as UnitType[]).map((t) => [
          t,
          new WeightedTable(INDUSTRIES_BY_TYPE[t].map((ind) => [ind, ind.weight * (ind.boost?.[city.code] ?? 1)] as const)),
        ]),
      ) as Record<UnitType, WeightedTable<Industry>>,
      idSpace,
      idPermutation: affinePermutation(idSpace, hash32(seed, D_ID, index)),
    };
  });
  for (const c of info) c.others = info.filter((o) => o !== c);
  return {
    seed,
    cities: info,
    cityTable: new WeightedTable(info.map((c) => [c, CITY_WEIGHTS[c.city.code] ?? 2] as const)),
    orgPermutation: affinePermutation(ORG_SPACE, hash32(seed, D_ORG)),
  };
}

// ---------------------------------------------------------------------------
// Individuals
// ---------------------------------------------------------------------------

function personName(rng: Random, male: boolean): string {
  const pool = male ? MALE_CHARS : FEMALE_CHARS;
  const given = rng.chance(0.7) ? rng.pick(pool) + rng.pick(pool) : rng.pick(pool);
  return SURNAMES.pick(rng) + given;
}

function personFromContext(ctx: RunContext, key: number): IndividualRecord {
  const n = ctx.cities.length;
  const home = ctx.cities[key % n];
  const local = Math.floor(key / n);
  // (district, sequence, birth day) from a bijection of the local index: unique per city,
  // and the district code prefix keeps cities apart.
  let x = home.idPermutation(local);
  const district = home.districts[x % home.districts.length];
  x = Math.floor(x / home.districts.length);
  const sequence = 1 + (x % SEQUENCES);
  const birthDay = BIRTH_FROM + Math.floor(x / SEQUENCES);
  const birth = isoOf(birthDay);
  const first17 = district.code + birth.replaceAll("-", "") + String(sequence).padStart(3, "0");
  const idNumber = first17 + idCheckDigit(first17);

  const rng = rngFor(ctx.seed, D_PERSON, key);
  const name = personName(rng, sequence % 2 === 1);
  const qualifications: QualificationRecord[] = [];
  if (rng.chance(0.2)) {
    const count = rng.chance(0.8) ? 1 : 2;
    for (let k = 1; k <= count; k++) {
      const kind = rng.pick(QUALIFICATIONS);
      // Mostly certified where they live; sometimes in another partner city.
      const issuing = rng.chance(0.9) ? home : rng.pick(ctx.cities);
      const issuedOn = dayBetween(rng, addYears(birth, 22), minIso(addYears(birth, 50), ANCHOR));
      qualifications.push({
        idNumber,
        title: kind.title,
        certificateNumber: `${issuing.provinceAbbr}${kind.code}${issuedOn.slice(0, 4)}${String(key).padStart(9, "0")}${k}`,
        issuedBy: kind.issuer(issuing.city),
        issuedOn,
        validUntil: kind.years ? addDays(addYears(issuedOn, kind.years), -1) : null,
        issuingCityCode: issuing.city.code,
      });
    }
  }
  return { key, idNumber, name, cityCode: home.city.code, qualifications };
}

/**
 * The person with this key in a run with this seed (and city list): the same record the
 * generator produced for them, recomputed rather than remembered.
 */
export function individualAt(seed: number, key: number, cities: readonly City[] = partnerCities()): IndividualRecord {
  return personFromContext(runContext(seed, cities), key);
}

// ---------------------------------------------------------------------------
// Enterprises
// ---------------------------------------------------------------------------

function base31(x: number, width: number): string {
  let s = "";
  for (let i = 0; i < width; i++) {
    s = USCC_ALPHABET[x % 31] + s;
    x = Math.floor(x / 31);
  }
  return s;
}

function yuan(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

function capital(rng: Random, type: UnitType): string {
  if (type === "91" && rng.chance(0.1)) return yuan(rng.int(100_000, 50_000_000) * 100 + rng.int(0, 99));
  return yuan(CAPITAL_WAN[type].pick(rng) * 10_000 * 100);
}

const CHINESE_ORDINALS = "一二三四五六七八九十".split("");

function enterpriseName(rng: Random, type: UnitType, info: CityInfo, district: CityInfo["districts"][number], industry: Industry): string {
  const city = info.city;
  const trade = rng.pick(TRADE_NAMES);
  const word = rng.pick(industry.words);
  switch (type) {
    case "91": {
      const form = COMPANY_FORMS.pick(rng);
      const style = rng.int(0, 3);
      if (style === 0) return `${city.name}${district.short}${trade}${word}${form}`;
      if (style === 1) return `${city.province.replace(/(省|市|回族自治区|维吾尔自治区|壮族自治区|自治区)$/, "")}${trade}${word}${form}`;
      return `${city.name}${trade}${word}${form}`;
    }
    case "92":
      return `${district.name}${trade}${word}`;
    case "93":
      return `${city.name}${district.name}${trade}${word}`;
    case "12":
      if (word === "中学") return `${city.name}${district.name}第${rng.pick(CHINESE_ORDINALS)}中学`;
      if (word === "人民医院") return `${district.name}${rng.chance(0.5) ? "" : `第${rng.pick(CHINESE_ORDINALS.slice(0, 3))}`}人民医院`;
      return `${city.name}${district.name}${word}`;
  }
}

function address(rng: Random, info: CityInfo, district: CityInfo["districts"][number]): string {
  const tail = rng.chance(0.3) ? `${rng.int(1, 30)}号楼${rng.int(1, 28)}层` : "";
  return `${info.city.province}${info.city.name}${district.name}${rng.pick(ROADS)}${rng.int(1, 999)}号${tail}`;
}

function applies(prefixes: string[], industryCode: string): boolean {
  return prefixes.some((p) => industryCode.startsWith(p));
}

/** Kinds that apply to an industry, computed once per industry code. */
function kindsFor<K extends { industries: string[] }>(cache: Map<string, K[]>, all: K[], industryCode: string): K[] {
  let kinds = cache.get(industryCode);
  if (!kinds) cache.set(industryCode, (kinds = all.filter((k) => applies(k.industries, industryCode))));
  return kinds;
}
const licenseKindsByIndustry = new Map<string, LicenseKind[]>();
const penaltyKindsByIndustry = new Map<string, PenaltyKind[]>();

/** Mostly the registering city; sometimes another partner city (the point of the hub). */
function issuingCity(rng: Random, ctx: RunContext, home: CityInfo, pHome: number): CityInfo {
  if (home.others.length === 0 || rng.chance(pHome)) return home;
  return rng.pick(home.others);
}

function decisionNumber(city: CityInfo, dept: Dept, kind: "许" | "罚", decidedOn: string, index: number, ordinal: number): string {
  return `${city.abbr}${dept.abbr}${kind}〔${decidedOn.slice(0, 4)}〕${String(index).padStart(6, "0")}-${ordinal}号`;
}

const LICENSE_COUNTS = new WeightedTable([[0, 45], [1, 30], [2, 17], [3, 8]]);
const PENALTY_COUNTS = new WeightedTable([[0, 80], [1, 14], [2, 6]]);

function licenses(c: Ctx, ctx: RunContext, home: CityInfo, index: number): LicenseRecord[] {
  const kinds = kindsFor(licenseKindsByIndustry, LICENSE_KINDS, c.industry.code);
  const count = LICENSE_COUNTS.pick(c.rng);
  if (kinds.length === 0 || count === 0) return [];
  const out: LicenseRecord[] = [];
  for (let k = 1; k <= count; k++) {
    const kind = c.rng.pick(kinds);
    const city = issuingCity(c.rng, ctx, home, 0.88);
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

function penalties(c: Ctx, ctx: RunContext, home: CityInfo, index: number): PenaltyRecord[] {
  const count = PENALTY_COUNTS.pick(c.rng);
  if (count === 0) return [];
  const kinds = kindsFor(penaltyKindsByIndustry, PENALTY_KINDS, c.industry.code);
  const out: PenaltyRecord[] = [];
  for (let k = 1; k <= count; k++) {
    const kind = c.rng.pick(kinds);
    const city = issuingCity(c.rng, ctx, home, 0.8);
    const severity: PenaltySeverity = c.rng.chance(0.2) ? "严重" : "一般";
    // Mostly recent, so that a good share is still within its publicity period.
    const decidedOn = dayBetween(c.rng, maxIso(c.ent.establishedOn, addYears(ANCHOR, -6)), ANCHOR);
    const dept = DEPTS[kind.dept];
    const action = ACTIONS[severity].pick(c.rng);
    let fineAmount: string | null = null;
    let decision: string;
    if (action === "warning") {
      decision = "给予警告";
    } else {
      const cents = c.rng.chance(0.15) ? c.rng.int(100_000, 10_000_000) : FINES[severity].pick(c.rng) * 100;
      fineAmount = yuan(cents);
      const fine = `处罚款人民币${fineAmount}元`;
      decision =
        action === "confiscate" ? `没收违法所得人民币${yuan(c.rng.int(1_000, 500_000) * 100)}元，并${fine}`
        : action === "suspend" ? `责令停产停业整顿，并${fine}`
        : fine;
    }
    out.push({
      uscc: c.ent.uscc,
      decisionNumber: decisionNumber(city, dept, "罚", decidedOn, index, k),
      authority: authorityName(dept, city.city),
      decidedOn,
      content: `${c.ent.name}${kind.violation}，违反了${kind.law}的规定。依法决定：${decision}。`,
      fineAmount,
      issuingCityCode: city.city.code,
      publicityUntil: addYears(decidedOn, PUBLICITY_YEARS[severity]),
      severity,
    });
  }
  return out;
}

/** Share of enterprises whose legal representative already represents an earlier one. */
const REUSE_PERSON = 0.1;

/**
 * Enterprises 0 … enterprises−1 for this seed, one at a time. The stream does not
 * depend on `enterprises`: a longer run starts with the records of a shorter one.
 */
export function* generateEnterprises(opts: GenerateOptions): Generator<GeneratedEnterprise, void, undefined> {
  const { seed, enterprises } = opts;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(enterprises) || enterprises < 0 || enterprises > ORG_SPACE) {
    throw new RangeError(`enterprises must be an integer in [0, ${ORG_SPACE}], got ${enterprises}`);
  }
  const ctx = runContext(seed, opts.cities ?? partnerCities());
  const n = ctx.cities.length;
  /** People created so far per city: the whole cross-enterprise state. */
  const persons = new Array<number>(n).fill(0);
  let totalPersons = 0;

  for (let index = 0; index < enterprises; index++) {
    const rng = rngFor(seed, D_ENTERPRISE, index);
    const type = UNIT_TYPES.pick(rng);
    const home = ctx.cityTable.pick(rng);
    const district = rng.pick(home.districts);

    // Legal representative: an earlier person (regenerated from the key) or a new one.
    let key: number;
    let isNew: boolean;
    if (totalPersons > 0 && rng.chance(REUSE_PERSON)) {
      let c = home.index;
      if (persons[c] === 0 || rng.chance(0.2)) {
        let r = rng.int(0, totalPersons - 1);
        c = 0;
        while (r >= persons[c]) r -= persons[c++];
      }
      key = rng.int(0, persons[c] - 1) * n + c;
      isNew = false;
    } else {
      const c = rng.chance(0.92) ? home.index : rng.int(0, n - 1);
      if (persons[c] >= ctx.cities[c].idSpace) throw new RangeError(`ID number space of ${ctx.cities[c].city.name} exhausted`);
      key = persons[c]++ * n + c;
      totalPersons++;
      isNew = true;
    }
    const person = personFromContext(ctx, key);

    const industry = home.industries[type].pick(rng);
    // More registrations in recent years: density grows linearly towards the anchor.
    const establishedOn = isoOf(ESTABLISHED_FROM + Math.floor((ANCHOR_DAY - ESTABLISHED_FROM + 1) * Math.sqrt(rng.float())));

    const x = ctx.orgPermutation(index);
    const org8 = establishedOn >= UNIFIED_CODE_FROM ? "MA" + base31(x, 6) : String(x).padStart(8, "0");
    const first17 = type + district.code + org8 + orgCodeCheckChar(org8);
    const uscc = first17 + usccCheckChar(first17);

    const ent: EnterpriseRecord = {
      uscc,
      name: enterpriseName(rng, type, home, district, industry),
      legalRepresentativeName: person.name,
      legalRepresentativeId: person.idNumber,
      registeredCityCode: home.city.code,
      registeredCapital: capital(rng, type),
      establishedOn,
      status: STATUSES.pick(rng),
      industryCode: industry.code,
      address: address(rng, home, district),
    };
    const c: Ctx = { rng, ent, industry, district: district.name };
    yield {
      index,
      unitType: type,
      enterprise: ent,
      legalRepresentative: person,
      legalRepresentativeIsNew: isNew,
      licenses: licenses(c, ctx, home, index),
      penalties: penalties(c, ctx, home, index),
    };
  }
}
