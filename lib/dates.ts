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
