/**
 * The tamper lab's page state and form: typed values become core edits or a message for the field
 * (and change nothing); the lab copies a node's chain, edits it, re-mines one block (its proof comes
 * back, the next link stays broken) or all of them (counting the hashes against the honest chain's
 * growth), stops when asked, and offers the branch to a node, which refuses it and stores nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeBlock } from '../../src/core/block.ts';
import { Node } from '../../src/core/node.ts';
import { makeParams } from '../../src/core/params.ts';
import type { Scheduler } from '../../src/core/ports.ts';
import { createRng } from '../../src/core/rng.ts';
import type { Transfer } from '../../src/core/tx.ts';
import type { BlockHash, NodeId } from '../../src/core/types.ts';
import { parseNodeId } from '../../src/core/types.ts';
import type { TamperInput } from '../../src/app/state/tamper-form.ts';
import { checkEdit, currentValue, refusalMessage } from '../../src/app/state/tamper-form.ts';
import type { TamperAccess } from '../../src/app/state/tamper.svelte.ts';
import { TamperLab } from '../../src/app/state/tamper.svelte.ts';
import { MemoryStore } from '../../src/sim/memory-store.ts';
import { addressFromNumber, must } from '../core/helpers.ts';

const params = makeParams({ chainId: 5, reward: 5n, retargetInterval: 1000 });
const N1 = must(parseNodeId('n1'), 'node id');
const N2 = must(parseNodeId('n2'), 'node id');
const PAYEE = addressFromNumber(0xfeed);
const OTHER = addressFromNumber(0xabc);

function steppingScheduler(): Scheduler {
  let t = params.genesisTimestampMs;
  return { now: () => (t += 1_000), after: () => () => undefined };
}

let node: Node;
let store: MemoryStore;
let paymentBlock: BlockHash;
let payment: Transfer;

beforeAll(async () => {
  store = new MemoryStore();
  node = await Node.create({
    id: N1,
    params,
    transport: { send: () => undefined },
    store,
    scheduler: steppingScheduler(),
    rng: createRng(9),
  });
  await node.mine();
  const paid = await node.pay(PAYEE, 2n, 1n);
  if (!paid.ok) throw new Error(paid.error.message);
  payment = paid.value;
  paymentBlock = (await node.mine()).hash;
  await node.mine();
  await node.mine();
});

/** The lab's access to one node; `height` plays the honest chain. */
function access(height: () => number = () => node.tree.tip.height): TamperAccess {
  return {
    params: () => params,
    bestChainFrom: (id, hash) => Promise.resolve(id === N1 ? node.bestChainFrom(hash) : null),
    offerBlocks: (id, blocks) => (id === N1 ? node.offerBlocks(blocks) : Promise.resolve(null)),
    honestHeight: height,
    pause: () => new Promise((resolve) => setImmediate(resolve)),
    now: () => performance.now(),
  };
}

async function openLab(a: TamperAccess = access()): Promise<TamperLab> {
  const lab = new TamperLab(a);
  await lab.load(paymentBlock, [N2, N1]);
  expect(lab.source).toBe(N1);
  expect(lab.chain?.map((b) => b.header.index)).toEqual([3, 4, 5]);
  expect(lab.edit(1, { field: 'amount', value: 50n })).toBeNull();
  return lab;
}

describe('the form', () => {
  const nodes = [
    { id: 'n1', address: addressFromNumber(1) },
    { id: 'n2', address: addressFromNumber(2) },
  ];
  const input = (field: TamperInput['field'], value: string): TamperInput => ({
    field,
    value,
    payment,
    nodes,
  });
  const message = (field: TamperInput['field'], value: string): string => {
    const c = checkEdit(input(field, value));
    return c.ok ? `${c.edit.field}=${c.edit.value}` : c.error.key;
  };

  it('turns a good value into an edit', () => {
    expect(message('amount', ' 300 ')).toBe('amount=300');
    expect(message('fee', '')).toBe('fee=0');
    expect(message('recipient', 'n2')).toBe(`recipient=${addressFromNumber(2)}`);
    expect(message('recipient', OTHER.toUpperCase())).toBe(`recipient=${OTHER}`);
  });

  it('gives a message for a bad value, the wallet’s where it is the same mistake', () => {
    expect(message('amount', '')).toBe('wallet.error.amountMissing');
    expect(message('amount', '1.5')).toBe('wallet.error.amountWhole');
    expect(message('amount', 'abc')).toBe('wallet.error.amountWhole');
    expect(message('amount', '0')).toBe('wallet.error.amountMin');
    expect(message('amount', '1e300')).toBe('wallet.error.amountTooLarge');
    expect(message('fee', '-1')).toBe('wallet.error.feeNegative');
    expect(message('recipient', '')).toBe('wallet.error.recipientMissing');
    expect(message('recipient', 'n9')).toBe('wallet.error.unknownNode');
    expect(message('recipient', 'not an address')).toBe('wallet.error.recipient');
  });

  it('refuses a value that changes nothing', () => {
    expect(message('amount', '2')).toBe('tamper.error.unchanged');
    expect(message('fee', '1')).toBe('tamper.error.unchanged');
    expect(message('recipient', PAYEE)).toBe('tamper.error.unchanged');
    expect(currentValue(payment, 'recipient')).toBe(PAYEE);
  });

  it('shows the core’s refusal as the reason’s sentence', () => {
    expect(refusalMessage({ reason: 'bad-amount', message: '' })).toEqual({
      key: 'reject.bad-amount',
    });
  });
});

describe('the lab', () => {
  it('finds nothing to copy when no holder has the block on its best chain', async () => {
    const lab = new TamperLab(access());
    await lab.load(paymentBlock, [N2]);
    expect(lab.missing).toBe(true);
    expect(lab.chain).toBeNull();
  });

  it('a refused value changes nothing', async () => {
    const lab = new TamperLab(access());
    await lab.load(paymentBlock, [N1]);
    expect(lab.edit(1, { field: 'amount', value: 0n })?.reason).toBe('bad-amount');
    expect(lab.copy).toBeNull();
    expect(lab.checks).toEqual([]);
  });

  it('shows the target missed and every later block cut off', async () => {
    const lab = await openLab();
    const [first, ...later] = lab.checks;
    expect(first?.proof.ok).toBe(false);
    expect(first?.payment?.ok).toBe(false);
    expect(later.map((c) => c.connected)).toEqual([false, false]);
    expect(lab.next).toBe(0);
  });

  it('re-mines one block: its target is met, the next link is still broken', async () => {
    const lab = await openLab();
    await lab.remineNext();
    expect(lab.news).toMatchObject({ kind: 'remined', index: 3, next: 4 });
    expect(lab.checks[0]?.proof.ok).toBe(true);
    expect(lab.checks[1]?.link.ok).toBe(false);
    expect(lab.next).toBe(1);
    expect(lab.busy).toBe(false);
  });

  it('re-mines all, counting the hashes against the honest chain’s growth', async () => {
    let height = 5;
    const lab = await openLab(access(() => (height += 3) - 3));
    await lab.remineAll();
    const news = lab.news;
    if (news?.kind !== 'all') throw new Error(`expected the summary, got ${news?.kind}`);
    expect(news.blocks).toBe(3);
    expect(news.hashes).toBeGreaterThanOrEqual(3);
    expect(news.growth).toBe(3);
    expect(lab.next).toBeNull();
    expect(lab.checks.every((c) => c.proof.ok && c.connected)).toBe(true);
  });

  it('stops when asked, and a discard stops without a word', async () => {
    const lab = await openLab();
    const running = lab.remineAll();
    lab.stop();
    await running;
    expect(lab.news?.kind).toBe('stopped');
    expect(lab.busy).toBe(false);

    const again = await openLab();
    const discarded = again.remineAll();
    again.discard();
    await discarded;
    expect(again.copy).toBeNull();
    expect(again.news).toBeNull();
  });

  it('offers the branch: refused for its signature once re-mined, and nothing stored', async () => {
    const lab = await openLab();
    await lab.remineNext();
    const tampered = must(lab.copy?.blocks[0]).hash;
    await lab.offerTo(N1);
    const report = lab.offer;
    if (!report || 'error' in report) throw new Error('expected outcomes');
    expect(
      report.outcomes.map(({ index, outcome }) => [
        index,
        outcome.status === 'rejected' ? outcome.rejection.reason : outcome.status,
      ]),
    ).toEqual([[3, 'bad-signature']]);
    const stored = must(await store.load()).blocks.map((b) => {
      const d = decodeBlock(b, params.maxBlockBytes);
      return d.ok ? d.value.hash : null;
    });
    expect(stored).not.toContain(tampered);
    expect(node.tree.get(tampered)).toBeUndefined();

    await lab.offerTo('n7' as NodeId);
    expect(lab.offer).toEqual({ node: 'n7', error: 'no node n7' });
  });
});
