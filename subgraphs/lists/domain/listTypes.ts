import type { ListType } from "../../../prisma/generated/client.js";

/** Names the policy texts use, and whether a type triggers joint punishment (F12, F15). */
export const LIST_TYPES: Record<ListType, { aliases: string[]; jointPunishment: boolean }> = {
  SERIOUS_DISHONESTY: { aliases: ["失信联合惩戒对象名单", "严重失信主体名单", "黑名单"], jointPunishment: true },
  INDUSTRY_BLACKLIST: { aliases: ["行业黑名单"], jointPunishment: true },
  RED: { aliases: ["红名单", "守信激励对象名单"], jointPunishment: false },
  KEY_ATTENTION: { aliases: ["重点关注名单"], jointPunishment: false },
  MARKET_BAN: { aliases: ["市场禁入名单"], jointPunishment: true },
  JUDGMENT_DEFAULTER: { aliases: ["失信被执行人名单"], jointPunishment: true },
  FALSE_LITIGATION: { aliases: ["虚假诉讼失信人名单"], jointPunishment: true },
  RECTIFICATION: { aliases: ["限期整改名单"], jointPunishment: false },
};
