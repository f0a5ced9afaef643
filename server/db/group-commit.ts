/**
 * Group commit in the app: writes submitted while others are in flight are gathered and run as one
 * batch (one statement, one transaction, one WAL flush) when a slot frees up. With no contention a
 * write runs at once, alone, so a quiet server adds no latency; under load the batches grow by
 * themselves (natural batching — no timer). If a batch fails, each of its writes is retried alone,
 * so a bad write fails only its own request and the others still land.
 */
export class GroupCommit<I, O> {
  private queue: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;
  /** Batches run and their sizes, for tests and metrics. */
  readonly stats = { batches: 0, items: 0, largest: 0, retriedAlone: 0 };

  constructor(
    private readonly runBatch: (items: I[]) => Promise<O[]>,
    private readonly opts: { maxBatch: number; maxInFlight: number },
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // Let the writes that arrive in the same tick join this batch.
      if (this.queue.length === 1) queueMicrotask(() => this.pump());
    });
  }

  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.opts.maxInFlight) {
      const batch = this.queue.splice(0, this.opts.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async run(batch: typeof this.queue): Promise<void> {
    this.stats.batches++;
    this.stats.items += batch.length;
    this.stats.largest = Math.max(this.stats.largest, batch.length);
    try {
      const out = await this.runBatch(batch.map((b) => b.item));
      batch.forEach((b, i) => b.resolve(out[i]!));
    } catch (err) {
      if (batch.length === 1) {
        batch[0]!.reject(err);
        return;
      }
      // One bad write must not fail its neighbours: each runs alone and gets its own answer.
      this.stats.retriedAlone += batch.length;
      await Promise.all(
        batch.map(async (b) => {
          try {
            const [o] = await this.runBatch([b.item]);
            b.resolve(o!);
          } catch (e) {
            b.reject(e);
          }
        }),
      );
    }
  }
}
