/**
 * How the page is laid out, as the person left it: projector mode (large type, high contrast, the
 * tree and the network view only) and which panels are folded away. Remembered in localStorage
 * when it is available; never part of a simulation, its storage or its exports (CONTRIBUTING.md,
 * D3 computes, Svelte draws).
 */

/** Where the layout is remembered. */
export const DISPLAY_STORAGE_KEY = 'chainlab.display';

/** What is remembered. */
export interface DisplayChoice {
  readonly projector: boolean;
  readonly sideFolded: boolean;
  readonly bottomFolded: boolean;
}

const DEFAULT_CHOICE: DisplayChoice = { projector: false, sideFolded: false, bottomFolded: false };

/** A remembered choice from anything storage held; the default for anything else. */
export function parseDisplayChoice(raw: unknown): DisplayChoice {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_CHOICE;
  const r = raw as Record<string, unknown>;
  const flag = (v: unknown, fallback: boolean): boolean => (typeof v === 'boolean' ? v : fallback);
  return {
    projector: flag(r.projector, DEFAULT_CHOICE.projector),
    sideFolded: flag(r.sideFolded, DEFAULT_CHOICE.sideFolded),
    bottomFolded: flag(r.bottomFolded, DEFAULT_CHOICE.bottomFolded),
  };
}

function load(): DisplayChoice {
  try {
    if (typeof localStorage === 'undefined') return DEFAULT_CHOICE;
    const text = localStorage.getItem(DISPLAY_STORAGE_KEY);
    return text === null ? DEFAULT_CHOICE : parseDisplayChoice(JSON.parse(text));
  } catch {
    // Storage blocked, or a damaged entry: start from the default.
    return DEFAULT_CHOICE;
  }
}

/** The page's layout choices as rune state; every change is remembered. */
export class DisplayState {
  projector = $state(false);
  sideFolded = $state(false);
  bottomFolded = $state(false);

  constructor(initial: DisplayChoice = load()) {
    this.projector = initial.projector;
    this.sideFolded = initial.sideFolded;
    this.bottomFolded = initial.bottomFolded;
  }

  /** Switch projector mode on or off. */
  toggleProjector(): void {
    this.projector = !this.projector;
    this.#save();
  }

  /** Fold or unfold the side panel. */
  toggleSide(): void {
    this.sideFolded = !this.sideFolded;
    this.#save();
  }

  /** Fold or unfold the bottom panel. */
  toggleBottom(): void {
    this.bottomFolded = !this.bottomFolded;
    this.#save();
  }

  #save(): void {
    const choice: DisplayChoice = {
      projector: this.projector,
      sideFolded: this.sideFolded,
      bottomFolded: this.bottomFolded,
    };
    try {
      localStorage.setItem(DISPLAY_STORAGE_KEY, JSON.stringify(choice));
    } catch {
      // Not remembered; the page works the same.
    }
  }
}
