// Runs the actions that make up a command (`up`'s phases, `down`) in order: a progress line
// when each starts and ends, with its seconds, and every action's time kept for the summary
// line. An action marked `background` is started and left running while the next ones go
// on; a later action names it in `awaits` to wait for it, and `run` waits for whatever is
// still running before it returns, so no work outlives its list.

export interface Action<C> {
  /** Progress name, e.g. "etcd" or "kubelet (node Ready)". */
  readonly name: string;
  /** Start and go on with the next action at once (awaited by name through `awaits`). */
  readonly background?: boolean;
  /** Background actions that must have finished before this one starts. */
  readonly awaits?: readonly string[];
  run(ctx: C): Promise<void>;
}

/** An action failed: its name, and what went wrong. */
export class ActionFailed extends Error {
  constructor(
    readonly action: string,
    readonly reason: unknown,
  ) {
    super(`${action} failed: ${reason instanceof Error ? reason.message : String(reason)}`);
    this.name = "ActionFailed";
  }
}

export interface CreatorOptions {
  log: (line: string) => void;
  /** Milliseconds; injectable so tests can time fake actions. */
  now?: () => number;
}

export class Creator<C> {
  private readonly timings = new Map<string, number>();
  /** Background actions by name: resolves with their failure, or undefined. */
  private readonly running = new Map<string, Promise<ActionFailed | undefined>>();
  private readonly now: () => number;

  constructor(
    private readonly ctx: C,
    private readonly options: CreatorOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Runs the actions in order; throws ActionFailed for the first that fails. */
  async run(actions: readonly Action<C>[]): Promise<void> {
    for (const action of actions) {
      for (const name of action.awaits ?? []) await this.awaitBackground(name, action.name);
      if (action.background) {
        if (this.running.has(action.name))
          throw new Error(`background action ${action.name} is already running`);
        this.running.set(
          action.name,
          this.timed(action).then(
            () => undefined,
            (e: ActionFailed) => e,
          ),
        );
      } else {
        await this.timed(action);
      }
    }
    for (const name of [...this.running.keys()]) await this.awaitBackground(name);
  }

  /** Seconds per finished action, in the order they finished. */
  get seconds(): ReadonlyMap<string, number> {
    return this.timings;
  }

  /** "timings: prerequisites 0.4s, build 0.6s, ..." */
  summary(): string {
    return `timings: ${[...this.timings].map(([k, v]) => `${k} ${v.toFixed(1)}s`).join(", ")}`;
  }

  private async awaitBackground(name: string, by?: string): Promise<void> {
    const pending = this.running.get(name);
    if (!pending) {
      if (by === undefined) return;
      throw new Error(`${by} awaits ${name}, which no earlier action started in the background`);
    }
    const failure = await pending;
    this.running.delete(name);
    if (failure) throw failure;
  }

  private async timed(action: Action<C>): Promise<void> {
    const start = this.now();
    const secs = () => (this.now() - start) / 1000;
    this.options.log(`${action.name}: start`);
    try {
      await action.run(this.ctx);
    } catch (e) {
      this.options.log(`${action.name}: FAILED (${secs().toFixed(1)}s)`);
      throw e instanceof ActionFailed ? e : new ActionFailed(action.name, e);
    }
    const s = secs();
    this.timings.set(action.name, s);
    this.options.log(`${action.name}: ok (${s.toFixed(1)}s)`);
  }
}
