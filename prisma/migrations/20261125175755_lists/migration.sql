-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "lists";

-- CreateEnum
CREATE TYPE "lists"."ListType" AS ENUM ('SERIOUS_DISHONESTY', 'INDUSTRY_BLACKLIST', 'RED', 'KEY_ATTENTION', 'MARKET_BAN', 'JUDGMENT_DEFAULTER', 'FALSE_LITIGATION', 'RECTIFICATION');

-- CreateEnum
CREATE TYPE "lists"."ListEntryState" AS ENUM ('RECOGNISED', 'PUBLISHED', 'UNDER_OBJECTION', 'RECTIFYING', 'REPAIRED', 'EXITED', 'EXPIRED', 'REVOKED');

-- CreateEnum
CREATE TYPE "lists"."BasisType" AS ENUM ('JUDICIAL_JUDGMENT', 'ADMINISTRATIVE_PENALTY', 'ADMINISTRATIVE_ENFORCEMENT', 'ARBITRATION', 'ADMINISTRATIVE_RULING');

-- CreateEnum
CREATE TYPE "lists"."Severity" AS ENUM ('MINOR', 'GENERAL', 'SERIOUS');

-- CreateEnum
CREATE TYPE "lists"."SubjectKind" AS ENUM ('ENTERPRISE', 'INDIVIDUAL');

-- CreateTable
CREATE TABLE "lists"."list_entry" (
    "id" SERIAL NOT NULL,
    "subject_kind" "lists"."SubjectKind" NOT NULL,
    "subject_id" CHAR(18) NOT NULL,
    "list_type" "lists"."ListType" NOT NULL,
    "field" TEXT NOT NULL,
    "authority" TEXT NOT NULL,
    "issuing_city_code" CHAR(6) NOT NULL,
    "basis_type" "lists"."BasisType" NOT NULL,
    "basis_number" TEXT NOT NULL,
    "basis_date" DATE NOT NULL,
    "severity" "lists"."Severity",
    "state" "lists"."ListEntryState" NOT NULL,
    "publicity_until" DATE,
    "earliest_repair_on" DATE,
    "rule_version" TEXT,
    "ban_starts_on" DATE,
    "ban_ends_on" DATE,
    "ban_scope" TEXT[],
    "under_objection" BOOLEAN NOT NULL DEFAULT false,
    "rectification_due" DATE,
    "linked_entry_id" INTEGER,
    "responsible_role" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "recognised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "list_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lists"."list_entry_history" (
    "id" BIGSERIAL NOT NULL,
    "entry_id" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "from_state" "lists"."ListEntryState",
    "to_state" "lists"."ListEntryState",
    "actor_sub" TEXT NOT NULL,
    "actor_city" CHAR(6) NOT NULL,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "prev_hash" CHAR(64) NOT NULL,
    "hash" CHAR(64) NOT NULL,

    CONSTRAINT "list_entry_history_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lists"."objection" (
    "id" SERIAL NOT NULL,
    "entry_id" INTEGER NOT NULL,
    "applicant" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "step" TEXT NOT NULL,
    "outcome" TEXT,
    "routed_to_city" CHAR(6) NOT NULL,
    "filed_by_city" CHAR(6) NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "accepted_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "accept_due_at" TIMESTAMPTZ(3) NOT NULL,
    "result_due_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "objection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lists"."repair_application" (
    "id" SERIAL NOT NULL,
    "entry_id" INTEGER NOT NULL,
    "subject_id" CHAR(18) NOT NULL,
    "status" TEXT NOT NULL,
    "commitment_text" TEXT NOT NULL,
    "commitment_signatory" TEXT NOT NULL,
    "commitment_signed_on" DATE NOT NULL,
    "filed_by_city" CHAR(6) NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decided_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "decision_reason" TEXT,

    CONSTRAINT "repair_application_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lists"."interview" (
    "id" SERIAL NOT NULL,
    "entry_id" INTEGER NOT NULL,
    "interviewed_on" DATE NOT NULL,
    "interviewee" TEXT NOT NULL,
    "notes" TEXT NOT NULL,
    "actor_sub" TEXT NOT NULL,
    "actor_city" CHAR(6) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "interview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lists"."outbox" (
    "id" BIGSERIAL NOT NULL,
    "event_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "entry_id" INTEGER NOT NULL,
    "city_code" CHAR(6) NOT NULL,
    "payload" JSONB NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "list_entry_subject_id_state_idx" ON "lists"."list_entry"("subject_id", "state");

-- CreateIndex
CREATE INDEX "list_entry_issuing_city_code_id_idx" ON "lists"."list_entry"("issuing_city_code", "id");

-- CreateIndex
CREATE INDEX "list_entry_list_type_id_idx" ON "lists"."list_entry"("list_type", "id");

-- CreateIndex
CREATE INDEX "list_entry_state_publicity_until_idx" ON "lists"."list_entry"("state", "publicity_until");

-- CreateIndex
CREATE UNIQUE INDEX "list_entry_issuing_city_code_list_type_basis_number_subject_key" ON "lists"."list_entry"("issuing_city_code", "list_type", "basis_number", "subject_id");

-- CreateIndex
CREATE UNIQUE INDEX "list_entry_history_entry_id_seq_key" ON "lists"."list_entry_history"("entry_id", "seq");

-- CreateIndex
CREATE INDEX "objection_entry_id_idx" ON "lists"."objection"("entry_id");

-- CreateIndex
CREATE INDEX "objection_routed_to_city_step_idx" ON "lists"."objection"("routed_to_city", "step");

-- CreateIndex
CREATE INDEX "repair_application_entry_id_idx" ON "lists"."repair_application"("entry_id");

-- CreateIndex
CREATE INDEX "repair_application_subject_id_revoked_at_idx" ON "lists"."repair_application"("subject_id", "revoked_at");

-- CreateIndex
CREATE INDEX "interview_entry_id_idx" ON "lists"."interview"("entry_id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_id_key" ON "lists"."outbox"("event_id");

-- AddForeignKey
ALTER TABLE "lists"."list_entry_history" ADD CONSTRAINT "list_entry_history_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "lists"."list_entry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lists"."objection" ADD CONSTRAINT "objection_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "lists"."list_entry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lists"."repair_application" ADD CONSTRAINT "repair_application_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "lists"."list_entry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lists"."interview" ADD CONSTRAINT "interview_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "lists"."list_entry"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
