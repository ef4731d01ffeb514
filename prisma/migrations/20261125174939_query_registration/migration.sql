-- CreateTable
CREATE TABLE "individual"."query_registration" (
    "id" BIGSERIAL NOT NULL,
    "request_id" TEXT NOT NULL,
    "caller_sub" TEXT NOT NULL,
    "caller_city_code" CHAR(6) NOT NULL,
    "purpose" TEXT NOT NULL,
    "subject_id_number" CHAR(18) NOT NULL,
    "fields" TEXT[],
    "unmasked" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "query_registration_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "query_registration_subject_id_number_id_idx" ON "individual"."query_registration"("subject_id_number", "id");
