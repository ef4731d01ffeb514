// `npm run token -- --city 610800 --scopes credit:read,graph:read --ttl 1h [--sub name] [--role id] [--org name]`:
// prints a partner token signed with the hub's HS256 secret (HUB_JWT_SECRET, or the
// local one under HUB_DATA_DIR that `npm start` uses).
import { parseArgs } from "node:util";
import { loadConfigOrExit } from "./cli.js";
import { localJwtSecret } from "../lib/auth/secrets.js";
import { signPartnerToken } from "../lib/auth/partnerToken.js";
import { SCOPES, isScope } from "../lib/auth/identity.js";
import { findRole, knownRoles } from "../lib/auth/roles.js";
import { findCity } from "../lib/cities.js";

const { values } = parseArgs({
  options: {
    city: { type: "string", default: "610800" },
    scopes: { type: "string", default: "credit:read" },
    ttl: { type: "string", default: "1h" },
    sub: { type: "string" },
    role: { type: "string" },
    org: { type: "string" },
  },
});
const cfg = loadConfigOrExit();
const city = values.city!;
if (!findCity(city)) {
  process.stderr.write(`unknown partner city '${city}'\n`);
  process.exit(2);
}
const scopes = values.scopes!.split(",").map((s) => s.trim()).filter(Boolean);
const unknown = scopes.filter((s) => !isScope(s));
if (unknown.length) {
  process.stderr.write(`unknown scope(s): ${unknown.join(", ")} (known: ${SCOPES.join(", ")})\n`);
  process.exit(2);
}
const secret = cfg.HUB_JWT_SECRET ?? localJwtSecret(cfg.HUB_DATA_DIR);
if (values.role && !findRole(values.role)) {
  process.stderr.write(`unknown role '${values.role}' (known: ${knownRoles().map((r) => r.id).join(", ")})\n`);
  process.exit(2);
}
const token = await signPartnerToken(secret, { sub: values.sub ?? `partner-${city}`, city, scopes, role: values.role, org: values.org }, values.ttl!);
process.stdout.write(`${token}\n`);
