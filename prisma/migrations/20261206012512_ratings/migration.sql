-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "ratings";

-- CreateTable
CREATE TABLE "ratings"."credit_rating" (
    "id" SERIAL NOT NULL,
    "subject_id" CHAR(18) NOT NULL,
    "evaluator_type" TEXT NOT NULL,
    "evaluator" TEXT NOT NULL,
    "issuing_city_code" CHAR(6) NOT NULL,
    "scale_id" TEXT NOT NULL,
    "scale_version" INTEGER NOT NULL,
    "field" TEXT,
    "model_version" TEXT NOT NULL,
    "score" DECIMAL(10,2),
    "grade" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "rated_on" DATE NOT NULL,
    "valid_until" DATE NOT NULL,
    "lapsed" BOOLEAN NOT NULL DEFAULT false,
    "recorded_by" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "credit_rating_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ratings"."supervision_tier" (
    "subject_id" CHAR(18) NOT NULL,
    "field" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "rated" BOOLEAN NOT NULL,
    "since" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "supervision_tier_pkey" PRIMARY KEY ("subject_id","field")
);

-- CreateTable
CREATE TABLE "ratings"."supervision_tier_change" (
    "id" SERIAL NOT NULL,
    "subject_id" CHAR(18) NOT NULL,
    "field" TEXT NOT NULL,
    "from_tier" TEXT,
    "to_tier" TEXT NOT NULL,
    "rating_id" INTEGER,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "supervision_tier_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ratings"."outbox" (
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
CREATE INDEX "credit_rating_subject_id_id_idx" ON "ratings"."credit_rating"("subject_id", "id");

-- CreateIndex
CREATE INDEX "credit_rating_lapsed_valid_until_idx" ON "ratings"."credit_rating"("lapsed", "valid_until");

-- CreateIndex
CREATE INDEX "supervision_tier_field_tier_subject_id_idx" ON "ratings"."supervision_tier"("field", "tier", "subject_id");

-- CreateIndex
CREATE INDEX "supervision_tier_change_subject_id_id_idx" ON "ratings"."supervision_tier_change"("subject_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_id_key" ON "ratings"."outbox"("event_id");
