/**
 * Today's calendar date as the hub counts it (publicity periods, bans in force, `asOf`
 * defaults): YYYY-MM-DD in UTC. One function, so the hub's idea of "today" has one home.
 */
export function today(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** A YYYY-MM-DD date as the Date at its midnight UTC (how Prisma stores `@db.Date`). */
export function dateOf(iso: string): Date {
  return new Date(`${iso}T00:00:00.000Z`);
}

/** The last `n` calendar months up to `day`'s, oldest first, as YYYY-MM (a portrait's trend). */
export function lastMonths(n: number, day: string): string[] {
  const [y, m] = day.split("-").map(Number);
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (n - 1 - i), 1));
    return d.toISOString().slice(0, 7);
  });
}

/** Counts of dated rows per month over `months` (zero-filled). */
export function monthCounts(months: string[], dates: Date[]): Array<{ month: string; count: number }> {
  const counts = new Map(months.map((m) => [m, 0]));
  for (const d of dates) {
    const m = d.toISOString().slice(0, 7);
    if (counts.has(m)) counts.set(m, counts.get(m)! + 1);
  }
  return months.map((month) => ({ month, count: counts.get(month)! }));
}
