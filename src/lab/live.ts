/**
 * What the lab's live runs (src/lab/live-double-spend.ts, src/lab/live-selfish.ts) share: they
 * drive a network only through the route table, as any script would, at the pace it goes.
 */
import { Cancelled } from './cancelled.ts';

/** The route table: what `window.chainlab.request` and `Simulation.request` both are. */
export type Request = (
  method: string,
  path: string,
  body?: unknown,
) => Promise<{ readonly status: number; readonly body: unknown }>;

/** What a live run needs from its surroundings; `N` is its story's steps. */
export interface LiveOptions<N> {
  readonly request: Request;
  /** Let `ms` of the network's time pass (real time in the page, virtual time headless). */
  readonly wait: (ms: number) => Promise<void>;
  readonly narrate: (n: N) => void;
  readonly signal?: AbortSignal;
  /** How often to look at the nodes, in milliseconds. */
  readonly pollMs?: number;
  /** The difficulty the network is reset to, which sets the run's pace (default: the reset's). */
  readonly difficultyBits?: number;
}

/** One call of the route table: its answer's body, an Error naming a refusal, `Cancelled` once stopped. */
export type Call = (method: string, path: string, body?: unknown) => Promise<unknown>;

/** Calls through `request` that stop between steps when `signal` is aborted. */
export function routeCaller(request: Request, signal: AbortSignal | undefined): Call {
  return async (method, path, body) => {
    if (signal?.aborted) throw new Cancelled();
    const r = await request(method, path, body);
    if (r.status >= 400) {
      const error = (r.body as { error?: unknown } | null)?.error;
      throw new Error(`${method} ${path}: ${typeof error === 'string' ? error : r.status}`);
    }
    return r.body;
  };
}

/** Reset the network to `nodes` nodes, at the run's difficulty when it names one. */
export async function resetNetwork(
  call: Call,
  nodes: number,
  difficultyBits: number | undefined,
): Promise<void> {
  await call('POST', '/sim/reset', {
    nodes,
    ...(difficultyBits === undefined ? {} : { difficulty_bits: difficultyBits }),
  });
}
