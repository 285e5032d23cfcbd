/**
 * Which simulation this tab runs. The id lives in sessionStorage, so a reload restores it while
 * another tab gets its own; a Web Lock held for the page's lifetime stops a duplicated tab (which
 * copies sessionStorage) from sharing it: that tab starts a simulation of its own.
 *
 * Web Locks (like crypto.randomUUID) exist only in secure contexts. Served over plain HTTP from
 * another machine, the page asks the other tabs on a BroadcastChannel instead.
 */
/** The names a tab's claim uses (from the runtime protocol, through the simulation entry). */
export interface SessionNames {
  /** sessionStorage key of the simulation id. */
  readonly sessionKey: string;
  /** The Web Lock held on a simulation id. */
  readonly sessionLock: (simId: string) => string;
  /** Where tabs ask each other when Web Locks are missing. */
  readonly tabsChannel: string;
}

/** How long a tab waits for another to say it runs the simulation (plain-HTTP fallback only). */
const ASK_MS = 250;

function newId(): string {
  // getRandomValues works in every context, secure or not.
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Try to hold the lock on a simulation id for as long as the page lives. */
function hold(simId: string, names: SessionNames): Promise<boolean> {
  if (!('locks' in navigator)) return askOtherTabs(simId, names.tabsChannel);
  return new Promise((resolve) => {
    void navigator.locks.request(names.sessionLock(simId), { ifAvailable: true }, async (lock) => {
      resolve(lock !== null);
      // Keep the lock until the page goes away.
      if (lock) await new Promise<never>(() => undefined);
    });
  });
}

/** A tab's question or answer on the tabs channel, parsed from `unknown`. */
function parseTabMessage(data: unknown): { kind: 'ask' | 'mine'; simId: string } | null {
  if (typeof data !== 'object' || data === null) return null;
  const { kind, simId } = data as Record<string, unknown>;
  if ((kind !== 'ask' && kind !== 'mine') || typeof simId !== 'string') return null;
  return { kind, simId };
}

/**
 * Without Web Locks: ask the other tabs whether one runs `simId`. A reloaded page's old self is
 * gone before the new one asks, so only a duplicated tab hears "mine". Once the id is this tab's,
 * it answers for it for as long as the page lives.
 */
function askOtherTabs(simId: string, tabsChannel: string): Promise<boolean> {
  if (typeof BroadcastChannel === 'undefined') return Promise.resolve(true);
  const channel = new BroadcastChannel(tabsChannel);
  let taken = false;
  let ours = false;
  channel.onmessage = (event: MessageEvent) => {
    const message = parseTabMessage(event.data);
    if (message?.simId !== simId) return;
    if (message.kind === 'mine') taken = true;
    else if (ours) channel.postMessage({ kind: 'mine', simId });
  };
  channel.postMessage({ kind: 'ask', simId });
  return new Promise((resolve) => {
    setTimeout(() => {
      ours = !taken;
      if (!ours) channel.close();
      resolve(ours);
    }, ASK_MS);
  });
}

/** The id of this tab's simulation, locked to this tab. */
export async function claimSimulationId(names: SessionNames): Promise<string> {
  let simId = safeGet(names.sessionKey) ?? newId();
  while (!(await hold(simId, names))) simId = newId();
  safeSet(names.sessionKey, simId);
  return simId;
}

function safeGet(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function safeSet(key: string, value: string): void {
  try {
    sessionStorage.setItem(key, value);
  } catch {
    // Without sessionStorage a reload starts a new simulation; nothing else changes.
  }
}
