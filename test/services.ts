import { Socket } from "node:net";

/**
 * The servers `npm test` talks to for real, where each is expected and how to start one
 * that is stopped (.ci/run does it). A test file needing one calls `requireServices` at its
 * top, so a missing server fails that file with one line saying which and how to start it.
 */
export const SERVICES = {
  postgres: {
    name: "PostgreSQL",
    url: process.env.TEST_PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
    start: "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
  },
  redis: {
    name: "Redis",
    url: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
    start: 'redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no',
  },
  nats: {
    name: "NATS with JetStream",
    url: process.env.TEST_NATS_URL ?? "nats://127.0.0.1:4222",
    start: "nats-server -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server &",
  },
} as const;

export type ServiceName = keyof typeof SERVICES;

const DEFAULT_PORTS: Record<ServiceName, number> = { postgres: 5432, redis: 6379, nats: 4222 };

function reachable(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("error", () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

/** One line, no stack: the reader needs the service and the command, not our call sites. */
export class ServiceMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ServiceMissing";
    this.stack = `${this.name}: ${message}`;
  }
}

/** Fails (one line per missing service) unless every named server accepts connections. */
export async function requireServices(...names: ServiceName[]): Promise<void> {
  const missing: string[] = [];
  for (const name of names) {
    const s = SERVICES[name];
    const url = new URL(s.url);
    const host = url.hostname || "127.0.0.1";
    const port = Number(url.port) || DEFAULT_PORTS[name];
    if (!(await reachable(host, port, 3000))) missing.push(`${s.name} is not reachable at ${host}:${port}: start it with \`${s.start}\` (.ci/run starts it when stopped)`);
  }
  if (missing.length) throw new ServiceMissing(missing.join("\n"));
}
