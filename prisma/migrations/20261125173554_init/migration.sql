-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "enterprise";

-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "individual";

-- CreateEnum
CREATE TYPE "enterprise"."EnterpriseStatus" AS ENUM ('ACTIVE', 'REVOKED', 'CANCELLED', 'SUSPENDED');

-- CreateTable
CREATE TABLE "enterprise"."enterprise" (
    "uscc" CHAR(18) NOT NULL,
    "name" TEXT NOT NULL,
    "legal_representative_name" TEXT NOT NULL,
    "legal_representative_id" CHAR(18),
    "registered_city_code" CHAR(6) NOT NULL,
    "registered_capital" DECIMAL(20,2) NOT NULL,
    "established_on" DATE NOT NULL,
    "status" "enterprise"."EnterpriseStatus" NOT NULL,
    "industry_code" VARCHAR(8) NOT NULL,
    "address" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "enterprise_pkey" PRIMARY KEY ("uscc")
);

-- CreateTable
CREATE TABLE "enterprise"."administrative_license" (
    "id" BIGSERIAL NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "decision_number" TEXT NOT NULL,
    "license_name" TEXT NOT NULL,
    "authority" TEXT NOT NULL,
    "decided_on" DATE NOT NULL,
    "valid_until" DATE,
    "content" TEXT NOT NULL,
    "issuing_city_code" CHAR(6) NOT NULL,

    CONSTRAINT "administrative_license_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enterprise"."administrative_penalty" (
    "id" BIGSERIAL NOT NULL,
    "uscc" CHAR(18) NOT NULL,
    "decision_number" TEXT NOT NULL,
    "authority" TEXT NOT NULL,
    "decided_on" DATE NOT NULL,
    "content" TEXT NOT NULL,
    "fine_amount" DECIMAL(20,2),
    "issuing_city_code" CHAR(6) NOT NULL,
    "publicity_until" DATE NOT NULL,

    CONSTRAINT "administrative_penalty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "individual"."individual" (
    "id_number" CHAR(18) NOT NULL,
    "name" TEXT NOT NULL,
    "city_code" CHAR(6) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "individual_pkey" PRIMARY KEY ("id_number")
);

-- CreateTable
CREATE TABLE "individual"."professional_qualification" (
    "id" BIGSERIAL NOT NULL,
    "id_number" CHAR(18) NOT NULL,
    "title" TEXT NOT NULL,
    "certificate_number" TEXT NOT NULL,
    "issued_by" TEXT NOT NULL,
    "issued_on" DATE NOT NULL,
    "valid_until" DATE,
    "issuing_city_code" CHAR(6) NOT NULL,

    CONSTRAINT "professional_qualification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "enterprise_registered_city_code_uscc_idx" ON "enterprise"."enterprise"("registered_city_code", "uscc");

-- CreateIndex
CREATE INDEX "enterprise_status_uscc_idx" ON "enterprise"."enterprise"("status", "uscc");

-- CreateIndex
CREATE INDEX "enterprise_industry_code_uscc_idx" ON "enterprise"."enterprise"("industry_code", "uscc");

-- CreateIndex
CREATE INDEX "administrative_license_uscc_decided_on_idx" ON "enterprise"."administrative_license"("uscc", "decided_on");

-- CreateIndex
CREATE UNIQUE INDEX "administrative_license_issuing_city_code_decision_number_key" ON "enterprise"."administrative_license"("issuing_city_code", "decision_number");

-- CreateIndex
CREATE INDEX "administrative_penalty_uscc_decided_on_idx" ON "enterprise"."administrative_penalty"("uscc", "decided_on");

-- CreateIndex
CREATE UNIQUE INDEX "administrative_penalty_issuing_city_code_decision_number_key" ON "enterprise"."administrative_penalty"("issuing_city_code", "decision_number");

-- CreateIndex
CREATE INDEX "individual_city_code_id_number_idx" ON "individual"."individual"("city_code", "id_number");

-- CreateIndex
CREATE INDEX "professional_qualification_id_number_idx" ON "individual"."professional_qualification"("id_number");

-- CreateIndex
CREATE UNIQUE INDEX "professional_qualification_issuing_city_code_certificate_nu_key" ON "individual"."professional_qualification"("issuing_city_code", "certificate_number");

-- AddForeignKey
ALTER TABLE "enterprise"."administrative_license" ADD CONSTRAINT "administrative_license_uscc_fkey" FOREIGN KEY ("uscc") REFERENCES "enterprise"."enterprise"("uscc") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "enterprise"."administrative_penalty" ADD CONSTRAINT "administrative_penalty_uscc_fkey" FOREIGN KEY ("uscc") REFERENCES "enterprise"."enterprise"("uscc") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "individual"."professional_qualification" ADD CONSTRAINT "professional_qualification_id_number_fkey" FOREIGN KEY ("id_number") REFERENCES "individual"."individual"("id_number") ON DELETE CASCADE ON UPDATE CASCADE;
