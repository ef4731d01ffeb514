-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "monitoring";

-- CreateTable
CREATE TABLE "monitoring"."risk_alert" (
    "id" SERIAL NOT NULL,
    "rule_id" TEXT NOT NULL,
    "rule_version" INTEGER NOT NULL,
    "severity" TEXT NOT NULL,
    "subject_id" CHAR(18) NOT NULL,
    "city_code" CHAR(6) NOT NULL,
    "message" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "source_event_id" TEXT NOT NULL,
    "raised_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "risk_alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monitoring"."watchlist" (
    "id" SERIAL NOT NULL,
    "owner_sub" TEXT NOT NULL,
    "owner_city" CHAR(6) NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "watchlist_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "monitoring"."watchlist_item" (
    "watchlist_id" INTEGER NOT NULL,
    "uscc" CHAR(18) NOT NULL,

    CONSTRAINT "watchlist_item_pkey" PRIMARY KEY ("watchlist_id","uscc")
);

-- CreateTable
CREATE TABLE "monitoring"."consumer_position" (
    "consumer" TEXT NOT NULL,
    "sequence" TEXT NOT NULL,

    CONSTRAINT "consumer_position_pkey" PRIMARY KEY ("consumer")
);

-- CreateTable
CREATE TABLE "monitoring"."outbox" (
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
CREATE INDEX "risk_alert_subject_id_id_idx" ON "monitoring"."risk_alert"("subject_id", "id");

-- CreateIndex
CREATE INDEX "risk_alert_city_code_id_idx" ON "monitoring"."risk_alert"("city_code", "id");

-- CreateIndex
CREATE UNIQUE INDEX "risk_alert_rule_id_source_event_id_subject_id_key" ON "monitoring"."risk_alert"("rule_id", "source_event_id", "subject_id");

-- CreateIndex
CREATE INDEX "watchlist_owner_city_owner_sub_idx" ON "monitoring"."watchlist"("owner_city", "owner_sub");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_event_id_key" ON "monitoring"."outbox"("event_id");

-- AddForeignKey
ALTER TABLE "monitoring"."watchlist_item" ADD CONSTRAINT "watchlist_item_watchlist_id_fkey" FOREIGN KEY ("watchlist_id") REFERENCES "monitoring"."watchlist"("id") ON DELETE CASCADE ON UPDATE CASCADE;
