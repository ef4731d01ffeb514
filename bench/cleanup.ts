// Teardown that runs once, in reverse order of set-up, on success, on error and on
// Ctrl-C: a bench must not leave servers running or databases behind.
export class Cleanup {
  private steps: Array<{ what: string; fn: () => Promise<void> }> = [];
  private running: Promise<void> | null = null;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    // The handler stays installed until cleanup ends: a second signal (a second Ctrl-C, or tsx
    // relaying the first one again) must not kill the process halfway through dropping databases.
    if (this.running) {
      process.stderr.write(`${signal}: still cleaning up\n`);
      return;
    }
    process.stderr.write(`\n${signal}: cleaning up\n`);
    void this.run().finally(() => process.exit(130));
  };

  constructor() {
    process.on("SIGINT", this.onSignal);
    process.on("SIGTERM", this.onSignal);
  }

  add(what: string, fn: () => Promise<void>): void {
    this.steps.push({ what, fn });
  }

  /** Every step runs even if an earlier one fails; failures are reported, not thrown. */
  run(): Promise<void> {
    this.running ??= (async () => {
      try {
        for (const { what, fn } of this.steps.reverse()) {
          try {
            if (process.env.BENCH_DEBUG_CLEANUP) process.stderr.write(`cleanup: ${what}\n`);
            await fn();
          } catch (err) {
            process.stderr.write(`cleanup: ${what} failed: ${err instanceof Error ? err.message : String(err)}\n`);
          }
        }
      } finally {
        process.off("SIGINT", this.onSignal);
        process.off("SIGTERM", this.onSignal);
      }
    })();
    return this.running;
  }
}
