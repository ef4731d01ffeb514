-- Generated as: DROP the three commitment columns of lists.repair_application, ADD commitment_id
-- INTEGER NOT NULL. Rewritten in three steps so that no commitment is lost: the commitments of
-- existing applications move to the measures subgraph's commitment records (type REPAIR, made to
-- the recognising city's authority), linked by source_ref, before the copies are dropped.

-- AlterTable
ALTER TABLE "lists"."repair_application" ADD COLUMN "commitment_id" INTEGER;

-- Move the existing commitments (one record each, linked by source_ref).
INSERT INTO "measures"."credit_commitment"
  ("subject_kind", "subject_id", "type", "matter", "text", "signatory", "signed_on", "issuing_city_code", "authority", "published", "state", "source_ref", "recorded_by")
SELECT e."subject_kind"::text, r."subject_id", 'REPAIR', 'credit-repair', r."commitment_text", r."commitment_signatory", r."commitment_signed_on",
       e."issuing_city_code", e."authority", false, 'PENDING', 'lists.repair:' || r."id", 'migration:repair_commitment'
FROM "lists"."repair_application" r JOIN "lists"."list_entry" e ON e."id" = r."entry_id";

UPDATE "lists"."repair_application" r SET "commitment_id" = c."id"
FROM "measures"."credit_commitment" c WHERE c."source_ref" = 'lists.repair:' || r."id";

ALTER TABLE "lists"."repair_application" ALTER COLUMN "commitment_id" SET NOT NULL,
DROP COLUMN "commitment_signatory",
DROP COLUMN "commitment_signed_on",
DROP COLUMN "commitment_text";
