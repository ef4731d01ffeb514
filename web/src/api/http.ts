/**
 * GraphQL over HTTP to the gateway (POST /graphql) with the user's token, the only way the
 * dashboard asks for data. Field errors come back beside the data (a part of the page can
 * show "not allowed" while the rest answers); a refused request throws.
 */
export interface GraphQLErrorBody {
  message: string;
  path?: Array<string | number>;
  locations?: Array<{ line: number; column: number }>;
  extensions?: { code?: string; [k: string]: unknown };
}

export interface Result<T> {
  data: T | null;
  errors: GraphQLErrorBody[];
}

/** The whole request was refused (no data): bad token, missing scope, rate limit, invalid query. */
export class RequestRefused extends Error {
  constructor(readonly code: string, message: string, readonly errors: GraphQLErrorBody[]) {
    super(message);
  }
}

const ENDPOINT = "/graphql";

/** Codes a person can act on, in their words; anything else shows the gateway's own message. */
const CODE_TEXT: Record<string, string> = {
  UNAUTHENTICATED: "令牌无效或已过期，请重新登录",
  FORBIDDEN: "令牌缺少所需权限",
  RATE_LIMITED: "请求过于频繁，请稍后再试",
  QUERY_TOO_COMPLEX: "查询过于复杂",
  BAD_USER_INPUT: "输入有误",
  GRAPH_UNAVAILABLE: "关联图谱暂不可用",
  NOT_FOUND: "未找到",
};

export function describeError(e: GraphQLErrorBody): string {
  const code = e.extensions?.code ?? "";
  const text = CODE_TEXT[code];
  return text ? `${text}：${e.message}` : e.message;
}

export async function graphql<T>(token: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<Result<T>> {
  let res: Response;
  try {
    res = await fetch(ENDPOINT, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new RequestRefused("NETWORK", "无法连接数据中枢，请检查网络", []);
  }
  let body: { data?: T | null; errors?: GraphQLErrorBody[] };
  try {
    body = await res.json();
  } catch {
    throw new RequestRefused(`HTTP_${res.status}`, `数据中枢返回了无法解析的应答（HTTP ${res.status}）`, []);
  }
  const errors = body.errors ?? [];
  if (body.data == null) {
    const first = errors[0] ?? { message: `HTTP ${res.status}` };
    throw new RequestRefused(first.extensions?.code ?? `HTTP_${res.status}`, describeError(first), errors);
  }
  return { data: body.data, errors };
}

/** Field errors under a path prefix (e.g. one section of a page), for showing beside that section. */
export function errorsUnder(errors: GraphQLErrorBody[], ...prefix: Array<string | number>): GraphQLErrorBody[] {
  return errors.filter((e) => prefix.every((p, i) => e.path?.[i] === p));
}
