/**
 * The tamper lab's runtime calls on a node in a real worker thread, through Comlink as the page
 * makes them: the best chain comes back as encoded blocks, and a tampered, re-mined branch offered
 * back is refused for its signature, reported as an event, and leaves the node's chain as it was.
 * (That nothing refused is stored is proved on the stores themselves: tests/core/tamper.test.ts
 * and tests/sim/feature_tamper.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeBlock } from '../../src/core/block.ts';
import {
  searchProof,
  startRemining,
  tamper,
  tamperedBranch,
  withProof,
} from '../../src/core/tamper.ts';
import type { BlockHash, NodeId } from '../../src/core/types.ts';
import { names } from '../../src/runtime/protocol.ts';
import { addressFromNumber, must } from '../core/helpers.ts';
import { spawnNode, stopAll, THREAD_PARAMS, uniqueNamespace } from './threads.ts';

afterEach(async () => {
  await stopAll();
});

describe('worker threads: offering a tampered branch', () => {
  it('is refused for its signature and leaves the chain as it was', async () => {
    const namespace = uniqueNamespace('offer');
    const database = names.nodeDatabase(namespace, 'n1' as NodeId);
    const node = await spawnNode(namespace, 'n1', { database, seed: 7 });
    await node.api.mine();
    const paid = await node.api.pay(addressFromNumber(0xcafe), 1n, 0n);
    expect(paid.ok).toBe(true);
    const withPayment = (await node.api.mine()).hash as BlockHash;
    await node.api.mine();

    const bytes = must(await node.api.bestChainFrom(withPayment), 'best chain from block 3');
    const chain = bytes.map((b) => {
      const r = decodeBlock(b, THREAD_PARAMS.maxBlockBytes);
      if (!r.ok) throw new Error(r.error);
      return r.value;
    });
    const edited = tamper(chain, 1, { field: 'recipient', value: addressFromNumber(0xbad) });
    if (!edited.ok) throw new Error(edited.error.message);
    const job = startRemining(edited.value, 0);
    const copy = withProof(edited.value, job, must(searchProof(job, 0, 1 << 26), 'a proof'));
    const branch = tamperedBranch(copy);
    const tampered = must(branch[0]).hash;

    await node.api.takeEvents();
    const outcomes = await node.api.offerBlocks(branch.map((b) => b.bytes));
    expect(outcomes).toEqual([
      {
        hash: tampered,
        status: 'rejected',
        rejection: expect.objectContaining({ reason: 'bad-signature' }) as unknown,
      },
    ]);
    const events = await node.api.takeEvents();
    expect(events.filter((e) => e.kind === 'block-rejected')).toEqual([
      expect.objectContaining({ id: tampered, reason: 'bad-signature', from: null }),
    ]);
    const status = await node.api.status();
    expect(status.height).toBe(4);
    expect(status.tip).toBe(must(chain[chain.length - 1]).hash);
    expect((await node.api.blocksSince(-1)).map((b) => b.hash)).not.toContain(tampered);
  });
});
