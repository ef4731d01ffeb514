/** Chinese names for the API's enums and scopes; an unknown value shows as the API sends it. */

const LIST_TYPES: Record<string, string> = {
  SERIOUS_DISHONESTY: "严重失信主体名单",
  INDUSTRY_BLACKLIST: "行业黑名单",
  RED: "守信激励名单（红名单）",
  KEY_ATTENTION: "重点关注名单",
  MARKET_BAN: "市场禁入",
  JUDGMENT_DEFAULTER: "失信被执行人",
  FALSE_LITIGATION: "虚假诉讼",
  RECTIFICATION: "限期整改",
};

const ENTRY_STATES: Record<string, string> = {
  RECOGNISED: "已认定",
  PUBLISHED: "公示中",
  UNDER_OBJECTION: "异议处理中",
  RECTIFYING: "整改中",
  REPAIRED: "已修复",
  EXITED: "已移出",
  EXPIRED: "公示期满",
  REVOKED: "已撤销",
};

const RELATIONS: Record<string, string> = {
  LEGAL_REPRESENTATIVE_OF: "法定代表人",
  PRINCIPAL_OF: "主要负责人",
  ACTUAL_CONTROLLER_OF: "实际控制人",
  SENIOR_MANAGER_OF: "高级管理人员",
  MEMBER_OF: "成员",
  SUPPLY_CHAIN: "供应链上下游",
  SHAREHOLDER_OF: "股东",
};

const OTHER: Record<string, string> = {
  // 失信程度
  MINOR: "轻微", GENERAL: "一般", SERIOUS: "严重",
  // 登记状态
  ACTIVE: "存续", CANCELLED: "注销", SUSPENDED: "停业",
  // 预警等级
  LOW: "低", MEDIUM: "中", HIGH: "高",
  // 主体类别
  ENTERPRISE: "企业", PERSON: "自然人", INDIVIDUAL: "自然人", PUBLIC_BODY: "公共机构",
  // 风险标记
  LOW_RATING: "信用评级低",
  // 认定依据
  JUDICIAL_JUDGMENT: "司法裁判", ADMINISTRATIVE_PENALTY: "行政处罚", ADMINISTRATIVE_ENFORCEMENT: "行政强制", ARBITRATION: "仲裁", ADMINISTRATIVE_RULING: "行政裁决",
  // 风险类别与评价类型 (ratings subgraph)
  LOW_RISK: "低风险", NORMAL: "一般风险", HIGH_RISK: "高风险",
  PUBLIC_COMPREHENSIVE: "公共信用综合评价", INDUSTRY: "行业信用评价", THIRD_PARTY: "第三方信用评价", MARKET: "市场化信用评价", ENVIRONMENTAL: "环境信用评价",
};

const SCOPES: Record<string, string> = {
  "credit:read": "信用记录查询",
  "personal:read": "个人信息明文",
  "lists:write": "名单维护",
  "ratings:write": "评级录入",
  "measures:write": "承诺与联合奖惩",
  "graph:read": "关联图谱",
  "audit:read": "查询登记审计",
  admin: "系统管理",
};

export const RELATION_TYPES = Object.keys(RELATIONS);
export const LIST_TYPE_KEYS = Object.keys(LIST_TYPES);

export const listType = (v: string): string => LIST_TYPES[v] ?? v;
export const entryState = (v: string | null | undefined): string => (v ? ENTRY_STATES[v] ?? v : "—");
export const relation = (v: string): string => RELATIONS[v] ?? v;
export const scope = (v: string): string => SCOPES[v] ?? v;
/** Any other enum value (severity, status, kind, flag, tier...). */
export const term = (v: string | null | undefined): string => (v ? OTHER[v] ?? LIST_TYPES[v] ?? ENTRY_STATES[v] ?? v : "—");

/** A risk flag of the graph: a list type or a low rating. */
export const flag = (v: string): string => LIST_TYPES[v] ?? OTHER[v] ?? v;

export const percent = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

/** An ISO timestamp in Beijing time, e.g. 2026-11-01 14:03:12. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const local = new Date(d.getTime() + 8 * 3600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
}
