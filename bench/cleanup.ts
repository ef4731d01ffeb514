// Teardown that runs once, in reverse order of set-up, on success, on error and on
// Ctrl-C: a bench must not leave servers running or databases behind.
export class Cleanup {
  private steps: Array<{ what: string; fn: () => Promise<void> }> = [];
  private running: Promise<void> | null = null;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: cleaning up\n`);
    void this.run().finally(() => process.exit(130));
  };

  constructor() {
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
  }

  add(what: string, fn: () => Promise<void>): void {
    this.steps.push({ what, fn });
  }

  /** Every step runs even if an earlier one fails; failures are reported, not thrown. */
  run(): Promise<void> {
    this.running ??= (async () => {
      process.off("SIGINT", this.onSignal);
      process.off("SIGTERM", this.onSignal);
      for (const { what, fn } of this.steps.reverse()) {
        try {
          await fn();
        } catch (err) {
          process.stderr.write(`cleanup: ${what} failed: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }
    })();
    return this.running;
  }
}
