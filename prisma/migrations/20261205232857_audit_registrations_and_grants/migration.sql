-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "audit";

-- DropTable
DROP TABLE "individual"."query_registration";

-- CreateTable
CREATE TABLE "audit"."query_registration" (
    "id" BIGSERIAL NOT NULL,
    "request_id" TEXT NOT NULL,
    "caller_sub" TEXT NOT NULL,
    "caller_role" TEXT,
    "caller_org" TEXT,
    "caller_city_code" CHAR(6) NOT NULL,
    "purpose" TEXT,
    "basis" TEXT,
    "grant_id" BIGINT,
    "subject_kind" TEXT NOT NULL,
    "subject_id" VARCHAR(18) NOT NULL,
    "field" TEXT NOT NULL,
    "fields" TEXT[],
    "result" TEXT NOT NULL,
    "unmasked" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "query_registration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "individual"."access_grant" (
    "id" BIGSERIAL NOT NULL,
    "subject_id_number" CHAR(18) NOT NULL,
    "grantee" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "valid_from" DATE NOT NULL,
    "valid_to" DATE NOT NULL,
    "evidence" TEXT NOT NULL,
    "recorded_by_sub" TEXT NOT NULL,
    "recorded_by_city" CHAR(6) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revocation_reason" TEXT,

    CONSTRAINT "access_grant_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "query_registration_subject_id_id_idx" ON "audit"."query_registration"("subject_id", "id");

-- CreateIndex
CREATE INDEX "access_grant_subject_id_number_grantee_idx" ON "individual"."access_grant"("subject_id_number", "grantee");
