-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "measures";

-- CreateTable
CREATE TABLE "measures"."credit_commitment" (
    "id" SERIAL NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" CHAR(18) NOT NULL,
    "type" TEXT NOT NULL,
    "matter" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "signatory" TEXT NOT NULL,
    "signed_on" DATE NOT NULL,
    "issuing_city_code" CHAR(6) NOT NULL,
    "authority" TEXT NOT NULL,
    "published" BOOLEAN NOT NULL,
    "state" TEXT NOT NULL,
    "due_on" DATE,
    "settled_on" DATE,
    "source_ref" TEXT,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_commitment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "measures"."commitment_breach" (
    "id" SERIAL NOT NULL,
    "commitment_id" INTEGER NOT NULL,
    "subject_id" CHAR(18) NOT NULL,
    "city_code" CHAR(6) NOT NULL,
    "breached_on" DATE NOT NULL,
    "description" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "commitment_breach_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "measures"."joint_case" (
    "id" SERIAL NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_id" CHAR(18) NOT NULL,
    "measure_code" TEXT NOT NULL,
    "catalogue_city" CHAR(6) NOT NULL,
    "catalogue_version" INTEGER NOT NULL,
    "trigger_kind" TEXT NOT NULL,
    "trigger_id" TEXT NOT NULL,
    "initiating_city_code" CHAR(6) NOT NULL,
    "initiating_department" TEXT NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "joint_case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "measures"."joint_case_participant" (
    "case_id" INTEGER NOT NULL,
    "city_code" CHAR(6) NOT NULL,
    "department" TEXT NOT NULL,
    "respond_by" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "joint_case_participant_pkey" PRIMARY KEY ("case_id","city_code","department")
);

-- CreateTable
CREATE TABLE "measures"."joint_case_step" (
    "id" SERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "step" TEXT NOT NULL,
    "city_code" CHAR(6) NOT NULL,
    "department" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "joint_case_step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "measures"."outbox" (
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
CREATE UNIQUE INDEX "credit_commitment_source_ref_key" ON "measures"."credit_commitment"("source_ref");

-- CreateIndex
CREATE INDEX "credit_commitment_subject_id_id_idx" ON "measures"."credit_commitment"("subject_id", "id");

-- CreateIndex
CREATE INDEX "credit_commitment_state_due_on_idx" ON "measures"."credit_commitment"("state", "due_on");

-- CreateIndex
CREATE UNIQUE INDEX "commitment_breach_commitment_id_key" ON "measures"."commitment_breach"("commitment_id");

-- CreateIndex
CREATE INDEX "commitment_breach_subject_id_idx" ON "measures"."commitment_breach"("subject_id");

-- CreateIndex
CREATE INDEX "joint_case_measure_code_idx" ON "measures"."joint_case"("measure_code");

-- CreateIndex
CREATE INDEX "joint_case_subject_id_idx" ON "measures"."joint_case"("subject_id");

-- CreateIndex
CREATE INDEX "joint_case_participant_respond_by_idx" ON "measures"."joint_case_participant"("respond_by");

-- CreateIndex
CREATE UNIQUE INDEX "joint_case_step_case_id_city_code_department_step_key" ON "measures"."joint_case_step"("case_id", "city_code", "department", "step");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_id_key" ON "measures"."outbox"("event_id");

-- AddForeignKey
ALTER TABLE "measures"."commitment_breach" ADD CONSTRAINT "commitment_breach_commitment_id_fkey" FOREIGN KEY ("commitment_id") REFERENCES "measures"."credit_commitment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measures"."joint_case_participant" ADD CONSTRAINT "joint_case_participant_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "measures"."joint_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measures"."joint_case_step" ADD CONSTRAINT "joint_case_step_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "measures"."joint_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
