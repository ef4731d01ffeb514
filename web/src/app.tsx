/** The shell: sign-in, then the header (city, scopes, expiry) and the page the fragment names. */
import { useEffect, useState } from "preact/hooks";
import { scope, when } from "./labels.js";
import type { Session } from "./session.js";
import { SessionContext, useRoute, go } from "./state.js";
import { SignIn } from "./pages/SignIn.js";
import { Search } from "./pages/Search.js";
import { EnterprisePage } from "./pages/Enterprise.js";
import { PersonPage } from "./pages/Person.js";
import { GraphPage } from "./pages/Graph.js";
import { LivePage } from "./pages/Live.js";
import { OverviewPage } from "./pages/Overview.js";

const NAV: Array<[string, string]> = [["search", "主体查询"], ["graph", "关联图谱"], ["live", "实时动态"], ["overview", "区域概览"]];

function Header(props: { session: Session; onSignOut(): void; page: string }) {
  const { claims, cityName } = props.session;
  return (
    <header class="top">
      <div class="brand">沿黄信用数据中枢</div>
      <nav>{NAV.map(([page, label]) => <a key={page} href={`#/${page}`} class={props.page === page ? "active" : ""}>{label}</a>)}</nav>
      <div class="who" data-testid="who">
        <span data-testid="who-city" title={claims.city}>{cityName ?? "未知城市"}（{claims.city ?? "—"}）</span>
        <span class="muted">{claims.sub}</span>
        <span class="scopes" data-testid="who-scopes">{claims.scopes.map((s) => <span key={s} class="chip" title={s}>{scope(s)}</span>)}</span>
        {claims.exp && <span class="muted small">有效至 {when(new Date(claims.exp * 1000).toISOString())}</span>}
        <button class="link" onClick={props.onSignOut}>退出</button>
      </div>
    </header>
  );
}

function Page() {
  const route = useRoute();
  switch (route.page) {
    case "enterprise": return <EnterprisePage uscc={route.arg ?? ""} />;
    case "person": return <PersonPage />;
    case "graph": return <GraphPage uscc={route.arg} />;
    case "live": return <LivePage />;
    case "overview": return <OverviewPage />;
    default: return <Search />;
  }
}

export function App() {
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string | undefined>();
  const route = useRoute();
  const signOut = (reason?: string) => {
    setSession(null);
    setNotice(reason);
  };
  // The token's own expiry ends the session (the gateway would refuse it from then on).
  useEffect(() => {
    const exp = session?.claims.exp;
    const delay = exp ? exp * 1000 - Date.now() : Infinity;
    // setTimeout cannot wait longer than about 24 days.
    if (delay > 2 ** 31 - 1) return;
    const timer = setTimeout(() => signOut("令牌已过期，请重新登录"), Math.max(0, delay));
    return () => clearTimeout(timer);
  }, [session]);
  if (!session) return <SignIn notice={notice} onSession={(s) => { setSession(s); setNotice(undefined); if (!location.hash.startsWith("#/")) go("search"); }} />;
  return (
    <SessionContext.Provider value={{ session, signOut }}>
      <Header session={session} onSignOut={() => signOut()} page={route.page} />
      <main class="page"><Page /></main>
    </SessionContext.Provider>
  );
}
