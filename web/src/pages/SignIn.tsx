/** 登录: the partner token, pasted or taken from the URL fragment, checked against the gateway. */
import { useEffect, useState } from "preact/hooks";
import { graphql } from "../api/http.js";
import { readClaims, takeTokenFromFragment, type Session } from "../session.js";

/** Checks the token with the gateway (a cheap query every token may ask) and names its city. */
export async function openSession(token: string): Promise<Session> {
  const claims = readClaims(token);
  const r = await graphql<{ cities: Array<{ code: string; name: string }> }>(token, "{ cities { code name } }");
  return { token, claims, cityName: r.data?.cities.find((c) => c.code === claims.city)?.name };
}

export function SignIn(props: { onSession(s: Session): void; notice?: string }) {
  const [token, setToken] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (t: string) => {
    setBusy(true);
    setError(null);
    try {
      props.onSession(await openSession(t.trim()));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    const fromUrl = takeTokenFromFragment();
    if (fromUrl) void submit(fromUrl);
  }, []);
  return (
    <main class="signin">
      <h1>沿黄信用数据中枢 · 分析看板</h1>
      <p class="muted">请输入本城市的合作方令牌（JWT）。令牌只保存在本页内存中，关闭或刷新页面即失效。</p>
      {props.notice && <p class="failure" role="alert">{props.notice}</p>}
      <form onSubmit={(e) => { e.preventDefault(); void submit(token); }}>
        <label for="token">访问令牌</label>
        <textarea id="token" name="token" rows={5} value={token} onInput={(e) => setToken((e.target as HTMLTextAreaElement).value)} placeholder="eyJhbGciOi…" />
        <button type="submit" disabled={busy || token.trim() === ""}>{busy ? "验证中…" : "登录"}</button>
      </form>
      {error && <p class="failure" role="alert" data-testid="signin-error">{error}</p>}
      <p class="muted small">也可在地址后附加 <code>#token=令牌</code> 直接打开。</p>
    </main>
  );
}
