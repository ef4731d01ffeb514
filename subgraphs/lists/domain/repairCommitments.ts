import { callSubgraph } from "../../../lib/service/subgraphClient.js";
import { hubError } from "../../../lib/errors.js";
import type { RepairCommitments } from "./repairs.js";

const FILE = `mutation($i: RepairCommitmentInput!) { recordRepairCommitment(input: $i) { id } }`;
const WITHDRAW = `mutation($id: ID!) { settleCommitment(id: $id, to: WITHDRAWN) { id } }`;

/** A repair's commitment kept by the measures subgraph, through its contract, acting for the recognising city. */
export function measuresRepairCommitments(url: () => string | undefined, secret: string): RepairCommitments {
  const target = () => {
    const u = url();
    if (!u) throw hubError("INTERNAL_SERVER_ERROR", "the measures subgraph, which keeps repair commitments, is not running; try again shortly");
    return u;
  };
  return {
    async file({ city, ...c }) {
      const data = await callSubgraph<{ recordRepairCommitment: { id: string } }>(target(), secret, "lists", ["measures:write", "credit:read"], FILE, { i: c }, city);
      return Number(data.recordRepairCommitment.id);
    },
    async withdraw(id, city) {
      await callSubgraph(target(), secret, "lists", ["measures:write", "credit:read"], WITHDRAW, { id: String(id) }, city);
    },
  };
}

/** Without the measures subgraph (a lists subgraph run alone): repairs are refused, naming why. */
export const noRepairCommitments: RepairCommitments = {
  file: async () => { throw hubError("INTERNAL_SERVER_ERROR", "this lists subgraph runs without the measures subgraph, which keeps repair commitments"); },
  withdraw: async () => undefined,
};
