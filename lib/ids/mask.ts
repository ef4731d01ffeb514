/** Masking as practised by the platforms (DOMAIN.md): region kept, last four kept. */
export function maskIdNumber(idNumber: string): string {
  return idNumber.slice(0, 6) + "*".repeat(idNumber.length - 10) + idNumber.slice(-4);
}

/** 张三 → 张*, 张小明 → 张*: the first character and one star, so the length is hidden too. */
export function maskName(name: string): string {
  const first = Array.from(name)[0];
  return first === undefined ? "*" : first + "*";
}
