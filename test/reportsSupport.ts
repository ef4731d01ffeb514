/** What the reports tests share: the partner cities' tokens, the operations and their answers' shapes. */
import { expect } from "@jest/globals";
import type { TestHub, TokenClaims } from "./support.js";

export const PDFTOPPM = "/usr/bin/pdftoppm";

export const YULIN: TokenClaims = { city: "610800", sub: "yulin-credit", scopes: ["credit:read", "reports:write", "ratings:write", "lists:write"] };
export const YANAN: TokenClaims = { city: "610600", sub: "yanan-credit", scopes: ["credit:read", "reports:write", "reports:keys"] };
export const YINCHUAN: TokenClaims = { city: "640100", sub: "yinchuan-procurement", scopes: ["credit:read", "reports:write"] };
export const LANZHOU: TokenClaims = { city: "620100", sub: "lanzhou-approvals", scopes: ["credit:read", "reports:write"] };
export const HOHHOT: TokenClaims = { city: "150100", sub: "hohhot-procurement", scopes: ["credit:read", "reports:write"] };
export const READER: TokenClaims = { city: "620800", sub: "pingliang-reader", scopes: ["credit:read"] };

export const ISSUE = `mutation($s: ID!, $t: String, $p: String!) { issueCreditReport(subject: $s, template: $t, purpose: $p) {
  id code template purpose issuingCity { code } issuedAt validUntil hash signature keyId content signingKey { keyId publicKey city { code } } } }`;
export const VERIFY = `query($id: ID!, $h: String!) { verifyCreditReport(id: $id, hash: $h) {
  authentic statusChanged expired keyId issuingCity { code } problems { code message } changes { kind fromTier toTier ratingId listEntryId fromState toState city { code } } } }`;
export const RECOGNIZE = `mutation($id: ID!, $u: String!) { recognizeCreditReport(id: $id, use: $u) { id use statusChanged recognisingCity { code } issuingCity { code } agreement { id } report { id } } }`;

export interface Issued { id: string; code: string; template: string; hash: string; signature: string; keyId: string; content: string; validUntil: string; issuingCity: { code: string }; signingKey: { keyId: string; publicKey: string; city: { code: string } } }
export interface Verified { authentic: boolean; statusChanged: boolean; expired: boolean; keyId: string; issuingCity: { code: string }; problems: Array<{ code: string; message: string }>; changes: Array<{ kind: string; fromTier: string | null; toTier: string | null; ratingId: string | null; listEntryId: string | null; fromState: string | null; toState: string | null }> }


/** Issues a report as `as`, expecting it to succeed. */
export async function issueAs(hub: TestHub, as: TokenClaims, subject: string, template?: string, purpose = "政府采购供应商资格审查"): Promise<Issued> {
  const r = await hub.query<{ issueCreditReport: Issued }>(ISSUE, { s: subject, t: template, p: purpose }, { as });
  expect(r.errors).toBeUndefined();
  return r.data!.issueCreditReport;
}
