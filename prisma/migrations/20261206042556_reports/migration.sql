-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "reports";

-- CreateTable
CREATE TABLE "reports"."credit_report" (
    "id" SERIAL NOT NULL,
    "code" VARCHAR(16) NOT NULL,
    "subject_id" CHAR(18) NOT NULL,
    "template" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "issuing_city_code" CHAR(6) NOT NULL,
    "issued_by" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" DATE NOT NULL,
    "content" TEXT NOT NULL,
    "hash" CHAR(64) NOT NULL,
    "key_id" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "credit_report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reports"."signing_key" (
    "key_id" TEXT NOT NULL,
    "city_code" CHAR(6) NOT NULL,
    "public_key" TEXT NOT NULL,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_to" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revocation_reason" TEXT,

    CONSTRAINT "signing_key_pkey" PRIMARY KEY ("key_id")
);

-- CreateTable
CREATE TABLE "reports"."report_recognition" (
    "id" SERIAL NOT NULL,
    "report_id" INTEGER NOT NULL,
    "recognising_city_code" CHAR(6) NOT NULL,
    "issuing_city_code" CHAR(6) NOT NULL,
    "use" TEXT NOT NULL,
    "agreement_id" TEXT NOT NULL,
    "status_changed" BOOLEAN NOT NULL,
    "decided_by" TEXT NOT NULL,
    "decided_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "report_recognition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reports"."outbox" (
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
CREATE UNIQUE INDEX "credit_report_code_key" ON "reports"."credit_report"("code");

-- CreateIndex
CREATE INDEX "credit_report_subject_id_id_idx" ON "reports"."credit_report"("subject_id", "id");

-- CreateIndex
CREATE INDEX "credit_report_issuing_city_code_id_idx" ON "reports"."credit_report"("issuing_city_code", "id");

-- CreateIndex
CREATE INDEX "signing_key_city_code_valid_from_idx" ON "reports"."signing_key"("city_code", "valid_from");

-- CreateIndex
CREATE INDEX "report_recognition_report_id_id_idx" ON "reports"."report_recognition"("report_id", "id");

-- CreateIndex
CREATE INDEX "report_recognition_recognising_city_code_id_idx" ON "reports"."report_recognition"("recognising_city_code", "id");

-- CreateIndex
CREATE INDEX "report_recognition_issuing_city_code_id_idx" ON "reports"."report_recognition"("issuing_city_code", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_id_key" ON "reports"."outbox"("event_id");
