/**
 * Which simulation this tab runs. The id lives in sessionStorage, so a reload restores it while
 * another tab gets its own; a Web Lock held for the page's lifetime stops a duplicated tab (which
 * copies sessionStorage) from sharing it: that tab starts a simulation of its own.
 */
const KEY = 'chainlab.simulation';

function newId(): string {
  return crypto.randomUUID().slice(0, 8);
}

/** Try to hold the lock on a simulation id for as long as the page lives. */
function hold(simId: string): Promise<boolean> {
  if (!('locks' in navigator)) return Promise.resolve(true);
  return new Promise((resolve) => {
    void navigator.locks.request(`chainlab/${simId}`, { ifAvailable: true }, async (lock) => {
      resolve(lock !== null);
      // Keep the lock until the page goes away.
      if (lock) await new Promise<never>(() => undefined);
    });
  });
}

/** The id of this tab's simulation, locked to this tab. */
export async function claimSimulationId(): Promise<string> {
  let simId = safeGet() ?? newId();
  while (!(await hold(simId))) simId = newId();
  safeSet(simId);
  return simId;
}

function safeGet(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

function safeSet(value: string): void {
  try {
    sessionStorage.setItem(KEY, value);
  } catch {
    // Without sessionStorage a reload starts a new simulation; nothing else changes.
  }
}
