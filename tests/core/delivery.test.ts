/**
 * The delivery rule (src/core/delivery.ts) every transport plans its messages with: per-link order,
 * no message before its minimal delay, loss, each latency distribution's support and mean, transfer
 * time, partitions, and the text form of a latency setting.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LatencyDistribution, LinkConditions } from '../../src/core/delivery.ts';
import {
  DEFAULT_NETWORK,
  drawLatencyMs,
  formatLatency,
  MAX_LATENCY_MS,
  meanLatencyMs,
  parseLatency,
  planDelivery,
  reachable,
  throughUplink,
  transferMs,
  withDistribution,
} from '../../src/core/delivery.ts';
import { createRng } from '../../src/core/rng.ts';
import type { NodeId } from '../../src/core/types.ts';
import { draws, meanInterval, sampleMean } from './confidence.ts';

const arbSeed = fc.integer({ min: 0, max: 0xffffffff });
/** A delay in milliseconds, as a setting may give it: up to three decimals. */
const arbMs = fc.integer({ min: 0, max: MAX_LATENCY_MS * 1000 }).map((x) => x / 1000);

const arbDistribution: fc.Arbitrary<LatencyDistribution> = fc.oneof(
  arbMs.map((meanMs) => ({ kind: 'spread', meanMs }) as const),
  arbMs.map((ms) => ({ kind: 'fixed', ms }) as const),
  fc
    .tuple(arbMs, arbMs)
    .map(([a, b]) => ({ kind: 'uniform', minMs: Math.min(a, b), maxMs: Math.max(a, b) }) as const),
  arbMs.map((meanMs) => ({ kind: 'exponential', meanMs }) as const),
);

/** The smallest delay a distribution can draw. */
function minimalDelayMs(d: LatencyDistribution): number {
  switch (d.kind) {
    case 'spread':
      return d.meanMs / 2;
    case 'fixed':
      return d.ms;
    case 'uniform':
      return d.minMs;
    case 'exponential':
      return 0;
  }
}

/** One message of a sequence on one link: how long after the previous send, and its transfer. */
const arbSend = fc.record({
  gapMs: fc.double({ min: 0, max: 1_000, noNaN: true }),
  transferMs: fc.double({ min: 0, max: 5_000, noNaN: true }),
});

describe('planDelivery', () => {
  it('keeps per-link order: arrivals never go backwards, whatever the delays drawn', () => {
    fc.assert(
      fc.property(
        arbDistribution,
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        arbSeed,
        fc.array(arbSend, { minLength: 1, maxLength: 60 }),
        (distribution, loss, seed, sends) => {
          const conditions = withDistribution(distribution, loss);
          const rng = createRng(seed);
          let now = 0;
          let last = 0;
          const arrivals: number[] = [];
          for (const send of sends) {
            now += send.gapMs;
            const plan = planDelivery(conditions, rng, now, last, send.transferMs);
            if (plan.lost) continue;
            arrivals.push(plan.at);
            last = plan.at;
          }
          for (let i = 1; i < arrivals.length; i++) {
            expect(arrivals[i]).toBeGreaterThanOrEqual(arrivals[i - 1] ?? -Infinity);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never delivers before now plus the minimal delay plus the transfer time', () => {
    fc.assert(
      fc.property(
        arbDistribution,
        arbSeed,
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 5_000, noNaN: true }),
        (distribution, seed, now, lastArrival, transfer) => {
          const plan = planDelivery(
            withDistribution(distribution, 0),
            createRng(seed),
            now,
            lastArrival,
            transfer,
          );
          if (plan.lost) throw new Error('loss 0 lost a message');
          expect(plan.at).toBeGreaterThanOrEqual(now + minimalDelayMs(distribution) + transfer);
          expect(plan.at).toBeGreaterThanOrEqual(lastArrival);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a message behind a slow one on the same link waits for it; on another link it does not', () => {
    const fixed = withDistribution({ kind: 'fixed', ms: 100 }, 0);
    const rng = createRng(1);
    const big = planDelivery(fixed, rng, 0, 0, 2_000);
    expect(big).toEqual({ lost: false, at: 2_100 });
    // Sent right after the big block, on the same link: it cannot overtake it.
    expect(planDelivery(fixed, rng, 10, 2_100, 0)).toEqual({ lost: false, at: 2_100 });
    // The same small message on an idle link arrives after the latency alone.
    expect(planDelivery(fixed, rng, 10, 0, 0)).toEqual({ lost: false, at: 110 });
  });

  it('loss 0 never loses and draws nothing for loss; loss 1 always loses', () => {
    fc.assert(
      fc.property(arbDistribution, arbSeed, fc.integer({ min: 1, max: 50 }), (d, seed, n) => {
        const rng = createRng(seed);
        const twin = createRng(seed);
        for (let i = 0; i < n; i++) {
          const plan = planDelivery(withDistribution(d, 0), rng, i, 0);
          expect(plan.lost).toBe(false);
          // Exactly one draw per message: the delay's.
          twin.float();
        }
        expect(rng.u32()).toBe(twin.u32());

        const lossy = createRng(seed);
        for (let i = 0; i < n; i++) {
          expect(planDelivery(withDistribution(d, 1), lossy, i, 0)).toEqual({ lost: true });
        }
      }),
      { numRuns: 100 },
    );
  });

  it('loses a share of messages within the 99.9% interval around the loss probability', () => {
    const n = 20_000;
    const rng = createRng(11);
    for (const loss of [0.05, 0.3, 0.5]) {
      const conditions: LinkConditions = { latencyMs: 100, loss };
      const lost = draws(n, () => (planDelivery(conditions, rng, 0, 0).lost ? 1 : 0));
      // A Bernoulli draw has variance p(1 - p).
      const { low, high } = meanInterval(loss, loss * (1 - loss), n);
      const share = sampleMean(lost);
      expect(share).toBeGreaterThan(low);
      expect(share).toBeLessThan(high);
    }
  });
});

describe('drawLatencyMs', () => {
  const support = (d: LatencyDistribution, x: number): void => {
    switch (d.kind) {
      case 'spread':
        expect(x).toBeGreaterThanOrEqual(d.meanMs / 2);
        if (d.meanMs > 0) expect(x).toBeLessThan((3 * d.meanMs) / 2);
        else expect(x).toBe(0);
        return;
      case 'fixed':
        expect(x).toBe(d.ms);
        return;
      case 'uniform':
        expect(x).toBeGreaterThanOrEqual(d.minMs);
        // At most: min + (max - min) × u may round up to max when max - min is a few ulps of
        // max (uniform:9999.999:10000). The open end is checked on round numbers below.
        expect(x).toBeLessThanOrEqual(d.maxMs);
        if (d.minMs === d.maxMs) expect(x).toBe(d.minMs);
        return;
      case 'exponential':
        expect(x).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(x)).toBe(true);
        return;
    }
  };

  it('stays within each distribution’s support and uses exactly one draw', () => {
    fc.assert(
      fc.property(arbDistribution, arbSeed, (d, seed) => {
        const rng = createRng(seed);
        const twin = createRng(seed);
        for (let i = 0; i < 200; i++) {
          support(d, drawLatencyMs(withDistribution(d, 0), rng));
          twin.float();
        }
        expect(rng.u32()).toBe(twin.u32());
      }),
      { numRuns: 200 },
    );
  });

  it('reaches the edges of the support: the smallest and largest floats the generator gives', () => {
    // float() is u32 / 2^32: the extremes are 0 and 1 - 2^-32.
    const edge = (u32: number) => ({
      u32: () => u32,
      float: () => u32 / 2 ** 32,
      int: () => 0,
      bytes: (n: number) => new Uint8Array(n),
      fork: () => {
        throw new Error('not used');
      },
    });
    const low = edge(0);
    const high = edge(0xffffffff);
    const at = (d: LatencyDistribution, rng: ReturnType<typeof edge>) =>
      drawLatencyMs(withDistribution(d, 0), rng);
    expect(at({ kind: 'spread', meanMs: 100 }, low)).toBe(50);
    expect(at({ kind: 'spread', meanMs: 100 }, high)).toBeLessThan(150);
    expect(at({ kind: 'spread', meanMs: 100 }, high)).toBeGreaterThan(149.99);
    expect(at({ kind: 'uniform', minMs: 50, maxMs: 150 }, low)).toBe(50);
    expect(at({ kind: 'uniform', minMs: 50, maxMs: 150 }, high)).toBeLessThan(150);
    expect(Math.abs(at({ kind: 'exponential', meanMs: 100 }, low))).toBe(0);
    // The longest exponential delay: -100 ln(2^-32) = 3200 ln 2, finite.
    expect(at({ kind: 'exponential', meanMs: 100 }, high)).toBeCloseTo(3200 * Math.LN2, 6);
  });

  it('without a distribution, spreads around latencyMs (the default network)', () => {
    const rng = createRng(3);
    const twin = createRng(3);
    for (let i = 0; i < 100; i++) {
      const x = drawLatencyMs(DEFAULT_NETWORK, rng);
      expect(x).toBe(DEFAULT_NETWORK.latencyMs * (0.5 + twin.float()));
    }
  });

  // Each mean against the 99.9% interval from n and the distribution's own variance
  // (CONTRIBUTING.md, Statistics).
  const n = 20_000;
  const cases: readonly [string, LatencyDistribution, number][] = [
    // mean × U with U uniform on [1/2, 3/2): variance mean² / 12.
    ['spread:100', { kind: 'spread', meanMs: 100 }, 100 ** 2 / 12],
    ['uniform:50:250', { kind: 'uniform', minMs: 50, maxMs: 250 }, (250 - 50) ** 2 / 12],
    ['exponential:100', { kind: 'exponential', meanMs: 100 }, 100 ** 2],
    ['exponential:7', { kind: 'exponential', meanMs: 7 }, 7 ** 2],
  ];
  it.each(cases)('%s: the mean of 20,000 draws lies in its 99.9%% interval', (_, d, variance) => {
    const rng = createRng(2024);
    const conditions = withDistribution(d, 0);
    const mean = sampleMean(draws(n, () => drawLatencyMs(conditions, rng)));
    const { low, high } = meanInterval(meanLatencyMs(d), variance, n);
    expect(mean).toBeGreaterThan(low);
    expect(mean).toBeLessThan(high);
  });

  it('fixed: every draw is exactly the setting, so the mean is too', () => {
    const rng = createRng(2024);
    const conditions = withDistribution({ kind: 'fixed', ms: 42.5 }, 0);
    const xs = draws(n, () => drawLatencyMs(conditions, rng));
    expect(new Set(xs)).toEqual(new Set([42.5]));
    expect(meanLatencyMs({ kind: 'fixed', ms: 42.5 })).toBe(42.5);
  });

  it('the intervals are narrow enough to catch a wrong mean', () => {
    // The test above is not vacuous: an exponential drawn at 1.05 × its mean falls outside.
    const rng = createRng(2024);
    const wrong = withDistribution({ kind: 'exponential', meanMs: 105 }, 0);
    const mean = sampleMean(draws(n, () => drawLatencyMs(wrong, rng)));
    const { high } = meanInterval(100, 100 ** 2, n);
    expect(mean).toBeGreaterThan(high);
  });
});

describe('transferMs', () => {
  it('is the bits over the bandwidth: 1000 bytes at 8 kbit/s take one second', () => {
    expect(transferMs(1_000, 8_000)).toBe(1_000);
    expect(transferMs(0, 8_000)).toBe(0);
    expect(transferMs(125, 1e6)).toBe(1);
  });

  it('grows linearly with the bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 << 20 }),
        fc.integer({ min: 0, max: 1 << 20 }),
        fc.double({ min: 1, max: 1e10, noNaN: true }),
        (a, b, bps) => {
          // Doubling is exact in floating point; a sum is exact up to a few roundings.
          expect(transferMs(2 * a, bps)).toBe(2 * transferMs(a, bps));
          const sum = transferMs(a, bps) + transferMs(b, bps);
          const ulps = 4 * Number.EPSILON * sum;
          expect(Math.abs(transferMs(a + b, bps) - sum)).toBeLessThanOrEqual(ulps);
          if (a < b) expect(transferMs(a, bps)).toBeLessThan(transferMs(b, bps));
        },
      ),
    );
  });

  it('is 0 on an unlimited link', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 30 }), (bytes) => {
        expect(transferMs(bytes, Infinity)).toBe(0);
      }),
    );
  });
});

describe('throughUplink', () => {
  it('sends one message at a time: a block relayed to eight peers leaves eight transfers apart', () => {
    const transfer = transferMs(1_000, 8_000);
    let freeAt = 0;
    const starts: number[] = [];
    for (let peer = 0; peer < 8; peer++) {
      const uplink = throughUplink(5, freeAt, transfer);
      starts.push(uplink.start);
      expect(uplink.freeAt).toBe(uplink.start + transfer);
      freeAt = uplink.freeAt;
    }
    expect(starts).toEqual([5, 1_005, 2_005, 3_005, 4_005, 5_005, 6_005, 7_005]);
  });

  it('an idle uplink starts at once, and a message handed over later waits for nothing', () => {
    expect(throughUplink(100, 40, 10)).toEqual({ start: 100, freeAt: 110 });
    expect(throughUplink(100, 100, 0)).toEqual({ start: 100, freeAt: 100 });
  });
});

describe('reachable', () => {
  const id = (s: string): NodeId => s as NodeId;

  it('with no groups, everyone reaches everyone', () => {
    expect(reachable([], id('a'), id('b'))).toBe(true);
  });

  it('unlisted nodes form one more group', () => {
    const groups = [[id('a'), id('b')], [id('c')]];
    expect(reachable(groups, id('a'), id('b'))).toBe(true);
    expect(reachable(groups, id('a'), id('c'))).toBe(false);
    expect(reachable(groups, id('d'), id('e'))).toBe(true);
    expect(reachable(groups, id('a'), id('d'))).toBe(false);
    expect(reachable(groups, id('d'), id('c'))).toBe(false);
  });

  it('reaches exactly the nodes of the same group, unlisted ones together', () => {
    // Each of 8 nodes gets a group label; label 3 means "not listed".
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 8, maxLength: 8 }), (l) => {
        const ids = l.map((_, i) => id(`n${i}`));
        const groups = [0, 1, 2].map((g) => ids.filter((_, i) => l[i] === g));
        for (const [i, a] of ids.entries()) {
          for (const [j, b] of ids.entries()) {
            expect(reachable(groups, a, b)).toBe(l[i] === l[j]);
          }
        }
      }),
    );
  });
});

describe('parseLatency and formatLatency', () => {
  it.each([
    ['100', { kind: 'spread', meanMs: 100 }],
    ['0', { kind: 'spread', meanMs: 0 }],
    ['fixed:100', { kind: 'fixed', ms: 100 }],
    ['uniform:50:150', { kind: 'uniform', minMs: 50, maxMs: 150 }],
    ['exponential:100', { kind: 'exponential', meanMs: 100 }],
    ['fixed:10000', { kind: 'fixed', ms: MAX_LATENCY_MS }],
    ['uniform:2.5:2.5', { kind: 'uniform', minMs: 2.5, maxMs: 2.5 }],
  ] as const)('accepts %j', (text, value) => {
    expect(parseLatency(text)).toEqual({ ok: true, value });
    expect(formatLatency(value)).toBe(text);
  });

  it.each([
    ['exponential', /^exponential needs one delay/],
    ['uniform:5', /^uniform needs two delays/],
    ['uniform:9:3', /^uniform's MIN \(9\) is larger than its MAX \(3\)\.$/],
    ['fixed:-1', /^fixed needs one delay from 0 to 10000 ms/],
    ['fixed:20000', /^fixed needs one delay from 0 to 10000 ms/],
    ['20000', /from 0 to 10000 ms, got 20000\.$/],
    ['gauss:5', /^Unknown latency "gauss:5"/],
    ['', /^Unknown latency ""/],
    ['fixed:1:2', /^fixed needs one delay/],
    ['exponential:1e3', /^exponential needs one delay/],
  ])('refuses %j with one sentence', (text, message) => {
    const parsed = parseLatency(text);
    if (parsed.ok) throw new Error(`accepted ${JSON.stringify(text)}`);
    expect(parsed.error).toMatch(message);
    expect(parsed.error).not.toContain('\n');
    expect(parsed.error).toMatch(/\.$/);
    // One sentence: no full stop followed by a new sentence ("e.g." is followed by lowercase).
    expect(parsed.error).not.toMatch(/\.\s+[A-Z]/);
  });

  it('names no command-line option: the CLI adds its own "--latency: " prefix', () => {
    // scripts/cli-args.ts prints `--${name}: ${error}`, so an error naming the flag would read
    // "--latency: --latency must be ...".
    for (const text of ['20000', 'exponential', 'uniform:9:3', 'gauss:5', 'fixed:-1']) {
      const parsed = parseLatency(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).not.toContain('--latency');
    }
  });

  it('round-trips: parseLatency(formatLatency(d)) is d for settings in whole or decimal ms', () => {
    fc.assert(
      fc.property(arbDistribution, (d) => {
        expect(parseLatency(formatLatency(d))).toEqual({ ok: true, value: d });
      }),
      { numRuns: 500 },
    );
  });

  it('formatLatency writes every accepted setting in a form parseLatency reads back', () => {
    // "fixed:0.0000001" is accepted; String(1e-7) is "1e-7", which the parser refuses, so the
    // report of such a run names a latency the CLI would not take.
    const arbDecimal = fc
      .tuple(fc.nat({ max: 10_000 }), fc.stringMatching(/^[0-9]{1,9}$/))
      .map(([whole, fraction]) => `${whole}.${fraction}`);
    fc.assert(
      fc.property(fc.constantFrom('', 'fixed:', 'exponential:'), arbDecimal, (prefix, ms) => {
        const first = parseLatency(`${prefix}${ms}`);
        if (!first.ok) return; // above the maximum
        expect(parseLatency(formatLatency(first.value))).toEqual(first);
      }),
      { examples: [['fixed:', '0.0000001']] },
    );
  });
});
