import { hubError } from "../../lib/errors.js";
import type { Identity } from "../../lib/auth/identity.js";
import type { Logger } from "../../lib/logger.js";
import { createRateLimiter } from "../rateLimit/index.js";
import type { GatewayLimits } from "../config.js";

/** The admission step after authentication: one token bucket per calling system, so a partner's burst cannot starve the others. */
export interface RateLimitStep {
  /** Passes the identity on, or throws RATE_LIMITED (HTTP 429 with Retry-After). */
  admit(identity: Identity): Promise<Identity>;
  close(): Promise<void>;
}

export function useRateLimit(rate: GatewayLimits["rate"], logger: Logger): RateLimitStep {
  const limiter = createRateLimiter({
    capacity: rate.burst, refillPerSecond: rate.perSecond, redisUrl: rate.redisUrl,
    onError: (err) => logger.warn({ err }, "rate limiter unavailable: letting requests through"),
  });
  return {
    async admit(identity) {
      const decision = await limiter.take(`${identity.city}:${identity.sub}`);
      if (decision.allowed) return identity;
      throw hubError("RATE_LIMITED", `rate limit of ${rate.perSecond} requests/s exceeded; retry after ${decision.retryAfterSeconds} s`, {
        retryAfterSeconds: decision.retryAfterSeconds,
        http: { status: 429, headers: new Map([["retry-after", String(decision.retryAfterSeconds)]]) },
      });
    },
    close: () => limiter.close(),
  };
}
