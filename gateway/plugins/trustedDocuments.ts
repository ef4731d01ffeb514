import { readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { hubError } from "../../lib/errors.js";

/** An Apollo persisted-query manifest (`apollo-persisted-query-manifest`, version 1). */
interface Manifest {
  format: string;
  operations: Array<{ id: string; name?: string; body: string }>;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Allow-list mode (HUB_TRUSTED_DOCUMENTS): only operations registered in the
 * manifest run, sent either in full or by their hash alone.
 */
export function trustedDocumentsPlugin<T extends BaseContext>(manifestPath: string): ApolloServerPlugin<T> {
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as Manifest;
  if (manifest.format !== "apollo-persisted-query-manifest") throw new Error(`${manifestPath} is not an apollo-persisted-query-manifest`);
  const byHash = new Map(manifest.operations.map((op) => [sha256(op.body), op.body]));
  return {
    async requestDidStart({ request }) {
      // Sent by hash alone: the manifest supplies the text (APQ then accepts it).
      const hash = (request.extensions?.persistedQuery as { sha256Hash?: string } | undefined)?.sha256Hash;
      if (!request.query && hash && byHash.has(hash)) request.query = byHash.get(hash);
      return {
        // Refused here, where Apollo answers a thrown GraphQLError as it is (earlier hooks turn it into a 500).
        async didResolveOperation({ source }) {
          if (!byHash.has(sha256(source))) {
            throw hubError("OPERATION_NOT_TRUSTED", "this hub runs registered operations only: send one from the trusted-documents manifest", { http: { status: 400 } });
          }
        },
      };
    },
  };
}
