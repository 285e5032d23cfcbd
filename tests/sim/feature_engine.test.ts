/**
 * The one simulation engine (src/sim/engine.ts) decides everything but where nodes run: it names
 * nodes, registers peers, resets, splits and heals the network and runs changes one after another,
 * while the runtime under it only starts, stops and restarts nodes and applies network settings.
 * Here the runtime is the in-process one with every call written down, so each story can check
 * exactly what the engine asked of it.
 */
import { describe, expect, it } from 'vitest';
import type { ResetOptions } from '../../src/api/backend.ts';
import { DEFAULT_RESET } from '../../src/api/backend.ts';
import type { EventJson } from '../../src/api/json.ts';
import type { NetworkSettings } from '../../src/core/delivery.ts';
import type { Rng } from '../../src/core/rng.ts';
import type { NodeId } from '../../src/core/types.ts';
import { SimulationEngine } from '../../src/sim/engine.ts';
import { DEFAULT_SIMULATION } from '../../src/sim/simulation.ts';
import type { MemoryNetwork } from '../../src/sim/memory-network.ts';
import { MemoryRuntime } from '../../src/sim/memory-runtime.ts';
import type { NodeRuntime, RunSpec, RuntimeNode } from '../../src/sim/runtime.ts';
import { nodeId } from './framework.ts';

/** The in-process runtime, writing down every call the engine makes. */
class RecordingRuntime implements NodeRuntime {
  readonly calls: string[] = [];
  readonly inner: MemoryRuntime;

  constructor(run: RunSpec) {
    this.inner = new MemoryRuntime({ ...DEFAULT_SIMULATION, seed: 7 }, run);
  }

  start(id: NodeId): Promise<RuntimeNode> {
    this.calls.push(`start ${id}`);
    return this.inner.start(id);
  }
  remove(id: NodeId): Promise<void> {
    this.calls.push(`remove ${id}`);
    return this.inner.remove(id);
  }
  restart(id: NodeId, abrupt: boolean): Promise<RuntimeNode> {
    this.calls.push(`restart ${id}${abrupt ? ' abrupt' : ''}`);
    // In one process every stop is abrupt.
    return this.inner.restart(id);
  }
  applyNetwork(settings: NetworkSettings): Promise<void> {
    this.calls.push(`network ${settings.latencyMs} ${JSON.stringify(settings.groups)}`);
    return this.inner.applyNetwork(settings);
  }
  begin(run: RunSpec): Promise<void> {
    this.calls.push(`begin ${run.options.nodes} nodes`);
    return this.inner.begin(run);
  }
  takeEvents(id: NodeId): Promise<readonly EventJson[]> {
    return this.inner.takeEvents(id);
  }
  rng(purpose: string): Rng {
    return this.inner.rng(purpose);
  }
}

const FRESH: NetworkSettings = { latencyMs: 40, loss: 0, groups: [] };
const OPTIONS: ResetOptions = { ...DEFAULT_RESET, nodes: 3, difficultyBits: 4 };

class RecordedSimulation extends SimulationEngine<RecordingRuntime> {
  static async create(options: ResetOptions = OPTIONS): Promise<RecordedSimulation> {
    const runtime = new RecordingRuntime({ options, network: FRESH });
    const sim = new RecordedSimulation(
      runtime,
      { options, network: FRESH, ids: [], nextIndex: 1 },
      { network: FRESH },
    );
    await sim.populate();
    return sim;
  }

  /** The in-process network under the recorder. */
  get memoryNetwork(): MemoryNetwork {
    return this.runtime.inner.network;
  }

  /** Every call the runtime received so far (and forget them). */
  takeCalls(): string[] {
    return this.runtime.calls.splice(0);
  }

  restartNode(id: NodeId): Promise<boolean> {
    return this.restart(id, true);
  }
}

async function peersOf(sim: RecordedSimulation): Promise<Record<string, readonly string[]>> {
  return Object.fromEntries((await sim.listNodes()).map((n) => [n.id, [...n.peers].sort()]));
}

describe('the simulation engine over a runtime', () => {
  it('names and starts the nodes, then registers every node with all the others', async () => {
    const sim = await RecordedSimulation.create();
    expect(sim.takeCalls()).toEqual(['start n1', 'start n2', 'start n3']);
    expect(sim.ids).toEqual(['n1', 'n2', 'n3']);
    expect(await peersOf(sim)).toEqual({ n1: ['n2', 'n3'], n2: ['n1', 'n3'], n3: ['n1', 'n2'] });
  });

  it('with peers "none" nobody is registered', async () => {
    const sim = await RecordedSimulation.create({ ...OPTIONS, peers: 'none' });
    expect(await peersOf(sim)).toEqual({ n1: [], n2: [], n3: [] });
  });

  it('names new nodes past every name taken, and keeps a chosen name', async () => {
    const sim = await RecordedSimulation.create();
    sim.takeCalls();
    expect((await sim.addNode(undefined)).id).toBe('n4');
    expect((await sim.addNode(nodeId('n5'))).id).toBe('n5');
    // The counter skips a name someone chose.
    expect((await sim.addNode(undefined)).id).toBe('n6');
    expect((await sim.addNode(nodeId('n2'))).id).toBe('n7');
    expect(sim.takeCalls()).toEqual(['start n4', 'start n5', 'start n6', 'start n7']);
  });

  it('removing a node stops it and makes every other node forget it; twice is a no-op', async () => {
    const sim = await RecordedSimulation.create();
    sim.takeCalls();
    expect(await sim.removeNode(nodeId('n2'))).toBe(true);
    expect(sim.takeCalls()).toEqual(['remove n2']);
    expect(await peersOf(sim)).toEqual({ n1: ['n3'], n3: ['n1'] });

    expect(await sim.removeNode(nodeId('n2'))).toBe(false);
    expect(sim.takeCalls()).toEqual([]);
    expect(sim.ids).toEqual(['n1', 'n3']);
  });

  it('a restarted node keeps its place in the list', async () => {
    const sim = await RecordedSimulation.create();
    sim.takeCalls();
    expect(await sim.restartNode(nodeId('n1'))).toBe(true);
    expect(await sim.restartNode(nodeId('n9'))).toBe(false);
    expect(sim.takeCalls()).toEqual(['restart n1 abrupt']);
    expect(sim.ids).toEqual(['n1', 'n2', 'n3']);
    expect((await sim.listNodes()).map((n) => n.id)).toEqual(['n1', 'n2', 'n3']);
  });

  it('partitions and heals by handing the runtime whole settings; empty groups split nothing', async () => {
    const sim = await RecordedSimulation.create();
    sim.takeCalls();
    await sim.partition([[nodeId('n1')], [], [nodeId('n3')]]);
    expect(sim.takeCalls()).toEqual(['network 40 [["n1"],["n3"]]']);
    expect(await sim.networkSettings()).toEqual({
      latency_ms: 40,
      loss: 0,
      groups: [['n1'], ['n3']],
    });
    expect(sim.memoryNetwork.connected(nodeId('n1'), nodeId('n2'))).toBe(false);

    await sim.setNetwork({ latencyMs: 250 });
    await sim.heal();
    expect(sim.takeCalls()).toEqual(['network 250 [["n1"],["n3"]]', 'network 250 []']);
    expect(await sim.networkSettings()).toEqual({ latency_ms: 250, loss: 0, groups: [] });
    expect(sim.memoryNetwork.connected(nodeId('n1'), nodeId('n2'))).toBe(true);
  });

  it('a reset begins a new run, starts naming from n1 again and restores the fresh network', async () => {
    const sim = await RecordedSimulation.create();
    await sim.addNode(undefined);
    await sim.partition([[nodeId('n1')]]);
    await sim.setNetwork({ latencyMs: 900, loss: 0.5 });
    sim.takeCalls();

    await sim.reset({ ...OPTIONS, nodes: 2 });
    expect(sim.takeCalls()).toEqual(['begin 2 nodes', 'start n1', 'start n2']);
    expect(sim.ids).toEqual(['n1', 'n2']);
    expect(sim.state.nextIndex).toBe(3);
    expect(sim.options.nodes).toBe(2);
    expect(await sim.networkSettings()).toEqual({ latency_ms: 40, loss: 0, groups: [] });
    expect(await peersOf(sim)).toEqual({ n1: ['n2'], n2: ['n1'] });
  });

  it("keeps each node's events for every reader, and forgets a removed node's", async () => {
    const sim = await RecordedSimulation.create();
    // The in-process runtime keeps events from the first time anyone asks.
    await sim.takeEvents(nodeId('n1'));
    const block = await sim.node(nodeId('n1'))?.mine();
    const mined = (events: readonly EventJson[]): string[] =>
      events.flatMap((e) => (e.kind === 'block-mined' ? [e.hash] : []));
    expect(mined(await sim.takeEvents(nodeId('n1'), 'page'))).toEqual([block?.hash]);
    expect(mined(await sim.takeEvents(nodeId('n1'), 'script'))).toEqual([block?.hash]);
    expect(await sim.takeEvents(nodeId('n1'), 'page')).toEqual([]);

    await sim.node(nodeId('n2'))?.mine();
    await sim.removeNode(nodeId('n2'));
    expect(await sim.takeEvents(nodeId('n2'))).toEqual([]);
  });

  it('changes run one after another in the order they were asked', async () => {
    const sim = await RecordedSimulation.create();
    sim.takeCalls();
    const added = sim.addNode(undefined);
    const removed = sim.removeNode(nodeId('n4'));
    const again = sim.addNode(undefined);
    expect(await Promise.all([added, removed, again])).toEqual([
      { id: 'n4', address: expect.any(String) as unknown },
      true,
      { id: 'n5', address: expect.any(String) as unknown },
    ]);
    expect(sim.takeCalls()).toEqual(['start n4', 'remove n4', 'start n5']);
  });
});
