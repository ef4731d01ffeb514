/** What every page shares: the signed-in session (token in memory only) and the page's address. */
import { createContext } from "preact";
import { useContext, useEffect, useState } from "preact/hooks";
import type { Session } from "./session.js";

export const SessionContext = createContext<{ session: Session; signOut(reason?: string): void } | null>(null);

export function useSession(): { session: Session; signOut(reason?: string): void } {
  const s = useContext(SessionContext);
  if (!s) throw new Error("useSession outside a signed-in page");
  return s;
}

/** The page, from the fragment: #/search, #/enterprise/<uscc>, #/person, #/graph/<uscc>, #/live, #/overview. */
export interface Route {
  page: string;
  arg?: string;
}

function parseRoute(hash: string): Route {
  const [page = "search", arg] = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  return { page: page || "search", arg };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}

export const go = (page: string, arg?: string): void => {
  location.hash = `#/${page}${arg ? `/${encodeURIComponent(arg)}` : ""}`;
};

/**
 * A person looked up by ID number: kept here, never in the address (the page would carry
 * the ID number into history); the purpose goes with the look-up as the API requires.
 */
export const personLookup: { idNumber?: string; purpose?: string } = {};
