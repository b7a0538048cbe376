/**
 * Progress of a long computation on stderr: a self-rewriting line on a terminal, and a line at
 * every tenth of the work otherwise (logs stay short).
 *
 * @module
 */

/**
 * Counts finished items and reports `label: done/total (pct%) elapsed, ETA` on stderr; the
 * estimate of the remaining time assumes the remaining items take as long as the finished ones
 * on average.
 */
export class Progress {
  readonly #start = performance.now();
  readonly #tty: boolean;
  readonly #encoder = new TextEncoder();
  #done = 0;
  #lastDecile = -1;

  /**
   * @param label what is being computed, e.g. `"fig2C networks"`
   * @param total number of items
   * @param quiet report nothing (tests)
   * @param delaySeconds report nothing until this much time has passed (a run that ends
   *   sooner prints no progress at all)
   */
  constructor(
    readonly label: string,
    readonly total: number,
    readonly quiet = false,
    readonly delaySeconds = 0,
  ) {
    this.#tty = !quiet && Deno.stderr.isTerminal();
  }

  /** Marks `n` more items finished and reports. */
  tick(n = 1): void {
    this.#done += n;
    if (this.quiet) return;
    const elapsed = (performance.now() - this.#start) / 1000;
    if (elapsed < this.delaySeconds) return;
    const pct = this.total > 0 ? Math.floor((100 * this.#done) / this.total) : 100;
    const left = this.#done > 0 && this.#done < this.total
      ? `, ETA ${((elapsed / this.#done) * (this.total - this.#done)).toFixed(0)} s`
      : "";
    const line = `${this.label}: ${this.#done}/${this.total} (${pct}%) ${
      elapsed.toFixed(1)
    } s${left}`;
    if (this.#tty) {
      this.#write(`\r${line}${this.#done >= this.total ? "\n" : ""}`);
    } else {
      const decile = Math.floor(pct / 10);
      if (decile > this.#lastDecile) {
        this.#lastDecile = decile;
        this.#write(`${line}\n`);
      }
    }
  }

  /** Items finished so far. */
  get done(): number {
    return this.#done;
  }

  #write(text: string): void {
    Deno.stderr.writeSync(this.#encoder.encode(text));
  }
}
