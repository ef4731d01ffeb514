import type { Resolvers } from "../../lib/service/subgraph.js";
import { cityOf } from "../../lib/cities.js";
import { badInput, hubError } from "../../lib/errors.js";
import { requireSubjectId } from "../../lib/ids/index.js";
import { checkFirst, decodeCursor, toPage } from "../../lib/service/pagination.js";
import { registrationsOf, SEALED_TABLES, type QueryRegistration } from "./data.js";
import type { AuditContext } from "./loaders.js";
import { homeCityOf, type HomeCityLinks } from "./domain/homeCity.js";

export function createResolvers(maxPageSize: number, links?: HomeCityLinks): Resolvers {
  return {
    Query: {
      queryRegistrations: async (_: unknown, args: { subject: string; first?: number; after?: string }, ctx: AuditContext) => {
        const { id: subject, kind } = requireSubjectId(args.subject);
        const first = checkFirst(args.first, maxPageSize);
        const before = args.after ? BigInt(decodeCursor(args.after, (k) => /^\d{1,19}$/.test(k) && BigInt(k) <= 9223372036854775807n)) : undefined;
        const city = await homeCityOf(subject, kind, links);
        if (ctx.identity!.city !== city && !ctx.identity!.scopes.has("admin")) {
          throw hubError("FORBIDDEN", `registrations of this subject are visible to its home city (${city}) only`);
        }
        const rows = await registrationsOf(ctx.store.prisma, subject, first + 1, before);
        return toPage(rows, first, (r) => r.id.toString());
      },
      verifyLedger: (_: unknown, args: { table: string }, ctx: AuditContext) => {
        const table = SEALED_TABLES.find((t) => t === args.table);
        if (!table) throw badInput("table", "unknownTable", `'${args.table.slice(0, 60)}' is not a tamper-evident table (known: ${SEALED_TABLES.join(", ")})`);
        if (!ctx.ledger) throw hubError("LEDGER_UNAVAILABLE", "this hub seals nothing: no ledger key is configured");
        return ctx.ledger.verify({ table });
      },
    },
    QueryRegistration: {
      id: (r: QueryRegistration) => r.id.toString(),
      caller: (r: QueryRegistration) => r.callerSub,
      callerOrganisation: (r: QueryRegistration) => r.callerOrg,
      callerCity: (r: QueryRegistration) => cityOf(r.callerCityCode),
      grant: (r: QueryRegistration) => r.grantId?.toString() ?? null,
      lookedUpBy: (r: QueryRegistration) => r.field,
      at: (r: QueryRegistration) => r.createdAt.toISOString(),
    },
  };
}
