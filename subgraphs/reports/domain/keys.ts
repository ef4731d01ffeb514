/**
 * The cities' report signing keys (Ed25519, node:crypto). Private keys live in files under the
 * keys folder (`HUB_REPORT_KEYS_DIR`, default HUB_DATA_DIR/report-keys), one folder per city,
 * and never enter the database; the public halves and their validity are published from the
 * `reports.signing_key` table. A PKCS#8 PEM an operator puts in a city's folder is taken up
 * the first time that city has no key in force; otherwise one is generated once and kept.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ReportSigningKey } from "../../../prisma/generated/client.js";
import type { PrismaClient } from "../../../prisma/store.js";
import { hubError } from "../../../lib/errors.js";

export type { ReportSigningKey };

export interface SigningKey {
  keyId: string;
  city: string;
  privateKey: KeyObject;
}

/** The key id: the city and the start of the SHA-256 of the raw public key, so an id names one key. */
export function keyIdOf(city: string, publicKey: KeyObject): string {
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(-32);
  return `${city}-${createHash("sha256").update(raw).digest("base64url").slice(0, 12)}`;
}

export function signContent(content: string, key: KeyObject): string {
  return sign(null, Buffer.from(content, "utf8"), key).toString("base64url");
}

export function verifyContent(content: string, signature: string, publicKeyPem: string): boolean {
  try {
    return verify(null, Buffer.from(content, "utf8"), createPublicKey(publicKeyPem), Buffer.from(signature, "base64url"));
  } catch {
    return false; // a malformed key or signature verifies nothing
  }
}

export class ReportKeyRing {
  constructor(private readonly prisma: PrismaClient, private readonly dir: string) {}

  private fileOf(city: string, keyId: string): string {
    return join(this.dir, city, `${keyId}.pem`);
  }

  /** The city's key in force, taking up a configured key or generating one (in force from `at`) when it has none. */
  async current(city: string, at = new Date()): Promise<SigningKey> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"reports:key:" + city}))`;
      const row = await tx.reportSigningKey.findFirst({ where: { cityCode: city, validTo: null, revokedAt: null }, orderBy: { validFrom: "desc" } });
      if (row && existsSync(this.fileOf(city, row.keyId))) {
        return { keyId: row.keyId, city, privateKey: createPrivateKey(readFileSync(this.fileOf(city, row.keyId), "utf8")) };
      }
      // Its private half is gone (a lost data folder): retire it, its reports still verify.
      if (row) await tx.reportSigningKey.update({ where: { keyId: row.keyId }, data: { validTo: at } });
      const known = new Set((await tx.reportSigningKey.findMany({ where: { cityCode: city }, select: { keyId: true } })).map((k) => k.keyId));
      const key = this.configured(city, known) ?? this.generate(city);
      await tx.reportSigningKey.create({ data: { keyId: key.keyId, cityCode: city, publicKey: createPublicKey(key.privateKey).export({ format: "pem", type: "spki" }).toString(), validFrom: at } });
      return key;
    });
  }

  /** A PEM an operator placed in the city's folder that was never registered, newest first. */
  private configured(city: string, known: Set<string>): SigningKey | null {
    const folder = join(this.dir, city);
    if (!existsSync(folder)) return null;
    const files = readdirSync(folder).filter((f) => f.endsWith(".pem")).map((f) => join(folder, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    for (const file of files) {
      const privateKey = createPrivateKey(readFileSync(file, "utf8"));
      if (privateKey.asymmetricKeyType !== "ed25519") throw new Error(`report signing key ${file} is ${privateKey.asymmetricKeyType}, not Ed25519`);
      const keyId = keyIdOf(city, createPublicKey(privateKey));
      if (known.has(keyId)) continue;
      if (file !== this.fileOf(city, keyId)) writeFileSync(this.fileOf(city, keyId), privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600, flag: "wx" });
      return { keyId, city, privateKey };
    }
    return null;
  }

  private generate(city: string): SigningKey {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const keyId = keyIdOf(city, publicKey);
    mkdirSync(join(this.dir, city), { recursive: true, mode: 0o700 });
    writeFileSync(this.fileOf(city, keyId), privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600, flag: "wx" });
    return { keyId, city, privateKey };
  }

  /** 密钥轮换: a new key for the city; the one it replaces stays valid for the reports it signed. */
  async rotate(city: string): Promise<ReportSigningKey> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"reports:key:" + city}))`;
      const now = new Date();
      await tx.reportSigningKey.updateMany({ where: { cityCode: city, validTo: null }, data: { validTo: now } });
      const key = this.generate(city);
      return tx.reportSigningKey.create({ data: { keyId: key.keyId, cityCode: city, publicKey: createPublicKey(key.privateKey).export({ format: "pem", type: "spki" }).toString(), validFrom: now } });
    });
  }

  /**
   * 密钥吊销 (a key lost or compromised): no report it signed verifies any more, and its
   * private half is destroyed. The city's next report gets a new key.
   */
  async revoke(city: string, keyId: string, reason: string): Promise<ReportSigningKey> {
    const row = await this.prisma.reportSigningKey.findUnique({ where: { keyId } });
    if (!row) throw hubError("NOT_FOUND", `no report signing key '${keyId}' (see reportSigningKeys)`);
    if (row.cityCode !== city) throw hubError("FORBIDDEN", `key ${keyId} is city ${row.cityCode}'s; a city revokes its own keys only, and your token acts for ${city}`);
    if (row.revokedAt) return row;
    const now = new Date();
    const revoked = await this.prisma.reportSigningKey.update({ where: { keyId }, data: { revokedAt: now, revocationReason: reason, validTo: row.validTo ?? now } });
    rmSync(this.fileOf(city, keyId), { force: true });
    return revoked;
  }
}
