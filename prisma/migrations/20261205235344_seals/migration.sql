-- CreateTable
CREATE TABLE "audit"."seal" (
    "id" BIGSERIAL NOT NULL,
    "table_name" TEXT NOT NULL,
    "from_id" BIGINT NOT NULL,
    "to_id" BIGINT NOT NULL,
    "rows" INTEGER NOT NULL,
    "digest" CHAR(64) NOT NULL,
    "prev_mac" CHAR(64) NOT NULL,
    "mac" CHAR(64) NOT NULL,
    "sealed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "seal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "seal_table_name_to_id_key" ON "audit"."seal"("table_name", "to_id");
