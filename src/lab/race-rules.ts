/**
 * What wins a double-spend race, on its own so that the page's live race (src/lab/
 * live-double-spend.ts) loads it without the engine the measured races run on.
 */

/** What wins the race: catching up (the whitepaper's condition) or getting one block ahead. */
export type WinRule = 'catch-up' | 'overtake';

/** Blocks the attacker must be ahead by, under each rule. */
export const LEAD: Readonly<Record<WinRule, 0 | 1>> = { 'catch-up': 0, overtake: 1 };
