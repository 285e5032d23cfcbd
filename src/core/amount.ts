/**
 * The largest amount, fee or nonce: JSON numbers stay exact up to here. On its own so that the
 * page's route table reads it without loading the transaction code and its signatures.
 */
export const MAX_AMOUNT = BigInt(Number.MAX_SAFE_INTEGER);
