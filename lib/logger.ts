import { pino, type Logger, type DestinationStream } from "pino";

export type { Logger };

/**
 * One structured logger for every service. Fields that may carry personal data
 * or credentials are redacted whatever the call site passes.
 */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? "info", destination?: DestinationStream): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: ["idNumber", "*.idNumber", "req.headers.authorization", "headers.authorization", "token", "*.token", "variables"],
      censor: "[redacted]",
    },
  }, destination ?? pino.destination(1));
}
