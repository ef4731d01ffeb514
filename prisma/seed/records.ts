// The records the demo-data generator yields, one field per column (dates as YYYY-MM-DD,
// amounts as decimal strings in yuan), and the options of a run.
import type { City } from "../../lib/cities.js";

export type EnterpriseStatus = "ACTIVE" | "REVOKED" | "CANCELLED" | "SUSPENDED";
/** Registration authority + organisation type (USCC positions 1–2). */
export type UnitType = "91" | "92" | "93" | "12";
export type PenaltySeverity = "一般" | "严重";

export interface QualificationRecord {
  idNumber: string;
  title: string;
  certificateNumber: string;
  issuedBy: string;
  issuedOn: string;
  validUntil: string | null;
  issuingCityCode: string;
}

export interface IndividualRecord {
  /** The key the person is regenerated from: `local * cityCount + cityIndex`. */
  key: number;
  idNumber: string;
  name: string;
  cityCode: string;
  qualifications: QualificationRecord[];
}

export interface EnterpriseRecord {
  uscc: string;
  name: string;
  legalRepresentativeName: string;
  legalRepresentativeId: string;
  registeredCityCode: string;
  registeredCapital: string;
  establishedOn: string;
  status: EnterpriseStatus;
  industryCode: string;
  address: string;
}

export interface LicenseRecord {
  uscc: string;
  decisionNumber: string;
  licenseName: string;
  authority: string;
  decidedOn: string;
  validUntil: string | null;
  content: string;
  issuingCityCode: string;
}

export interface PenaltyRecord {
  uscc: string;
  decisionNumber: string;
  authority: string;
  decidedOn: string;
  content: string;
  fineAmount: string | null;
  issuingCityCode: string;
  publicityUntil: string;
  /** Not a column: the class that set publicityUntil. */
  severity: PenaltySeverity;
}

export interface GeneratedEnterprise {
  /** 0-based position in the run. */
  index: number;
  unitType: UnitType;
  enterprise: EnterpriseRecord;
  legalRepresentative: IndividualRecord;
  /** False when the person already represented an earlier enterprise of the run. */
  legalRepresentativeIsNew: boolean;
  licenses: LicenseRecord[];
  penalties: PenaltyRecord[];
}

export interface GenerateOptions {
  seed: number;
  enterprises: number;
  /** Defaults to the partner-city registry (lib/cities.json). */
  cities?: readonly City[];
}
