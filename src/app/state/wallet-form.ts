/**
 * The wallet form's rules: what the learner typed, checked before anything is sent, with a clear
 * message per field; and the node's answer turned into a message. The node stays authoritative:
 * these checks only save a round trip for mistakes the page can already see.
 */
import { parseAddress, parseNodeId } from '../../core/types.ts';
import type { MessageKey, MessageParams } from '../i18n/catalog.ts';
import { isRejectReason } from '../i18n/catalog.ts';

/** The largest amount or fee a payment can carry (the core's MAX_AMOUNT, 2^53 - 1). */
const MAX_COINS = Number.MAX_SAFE_INTEGER;

/** A form field a message belongs to. */
export type WalletField = 'from' | 'to' | 'amount' | 'fee';

/** What the learner entered. Number inputs give a number, or null or "" when empty. */
export interface WalletInput {
  /** Id of the node whose wallet pays. */
  readonly from: string;
  /** Who receives: another node's id or an address (40 hex digits). */
  readonly to: string;
  readonly amount: number | string | null | undefined;
  /** Empty means no fee. */
  readonly fee: number | string | null | undefined;
  /** The paying node's balance as the page last saw it, or null when unknown. */
  readonly balance: number | null;
  /** Nodes that exist, to catch a mistyped node id early. Omitted: any node id is accepted. */
  readonly nodeIds?: readonly string[];
}

/** A message from the catalogue, with its parameters. */
export interface FormMessage {
  readonly key: MessageKey;
  readonly params?: MessageParams;
}

/** A message about one field. */
export interface FieldError extends FormMessage {
  readonly field: WalletField;
}

/** The request body POST /node/:id/transactions/new takes. */
export interface PaymentBody {
  readonly recipient: string;
  readonly amount: number;
  readonly fee: number;
}

/** Either the request to send, or every problem found (in the form's order). */
export type WalletCheck =
  | { readonly ok: true; readonly path: string; readonly body: PaymentBody }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

/** A whole number from an input's value; `null` when it is empty. */
function readNumber(raw: number | string | null | undefined): number | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return raw;
  const text = raw.trim();
  if (text === '') return null;
  // Number('') is 0 and Number('0x10') is 16: accept only plain decimal writing.
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : Number.NaN;
}

/** An amount or a fee as typed: whole coins within range, or the message saying what is wrong. */
export type CoinsCheck =
  { readonly ok: true; readonly value: number } | { readonly ok: false; readonly key: MessageKey };

/**
 * Read an amount (at least 1, required) or a fee (0 or more; empty means 0) as typed, with the
 * same messages wherever coins are entered.
 */
export function readCoins(
  raw: number | string | null | undefined,
  kind: 'amount' | 'fee',
): CoinsCheck {
  const n = readNumber(raw) ?? (kind === 'fee' ? 0 : null);
  const fail = (key: MessageKey): CoinsCheck => ({ ok: false, key });
  if (kind === 'amount') {
    if (n === null) return fail('wallet.error.amountMissing');
    if (!Number.isInteger(n)) return fail('wallet.error.amountWhole');
    if (n < 1) return fail('wallet.error.amountMin');
    if (n > MAX_COINS) return fail('wallet.error.amountTooLarge');
    return { ok: true, value: n };
  }
  if (n === null || !Number.isInteger(n)) return fail('wallet.error.feeWhole');
  // -0 is a whole number below nothing: treat it as 0.
  if (n < 0) return fail('wallet.error.feeNegative');
  if (n > MAX_COINS) return fail('wallet.error.feeTooLarge');
  return { ok: true, value: n === 0 ? 0 : n };
}

function checkCoins(
  raw: WalletInput['amount'],
  field: 'amount' | 'fee',
  errors: FieldError[],
): CoinsCheck {
  const coins = readCoins(raw, field);
  if (!coins.ok) errors.push({ field, key: coins.key });
  return coins;
}

/** A recipient as typed: an address or a node id (lowercase), or the message saying what is wrong. */
export type RecipientCheck =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly key: MessageKey; readonly params?: MessageParams };

/**
 * Read a recipient as typed: an address (40 hex digits) or the id of a node in `nodeIds` (any node
 * id when omitted), with the same messages wherever a recipient is entered.
 */
export function readRecipient(text: string, nodeIds?: readonly string[]): RecipientCheck {
  const to = text.trim().toLowerCase();
  if (to === '') return { ok: false, key: 'wallet.error.recipientMissing' };
  if (parseAddress(to)) return { ok: true, value: to };
  if (parseNodeId(to)) {
    if (nodeIds === undefined || nodeIds.includes(to)) return { ok: true, value: to };
    return { ok: false, key: 'wallet.error.unknownNode', params: { node: to } };
  }
  return { ok: false, key: 'wallet.error.recipient' };
}

/** The recipient as the API takes it (lowercase), or null after recording why not. */
function checkRecipient(input: WalletInput, errors: FieldError[]): string | null {
  const to = readRecipient(input.to, input.nodeIds);
  if (to.ok) return to.value;
  errors.push(
    to.params ? { field: 'to', key: to.key, params: to.params } : { field: 'to', key: to.key },
  );
  return null;
}

/**
 * Check the form. Every field is checked, so the learner sees all problems at once; the funds
 * check runs only when amount and fee are both valid and the balance is known.
 */
export function checkPayment(input: WalletInput): WalletCheck {
  const errors: FieldError[] = [];
  const from = parseNodeId(input.from);
  if (!from) errors.push({ field: 'from', key: 'wallet.error.fromMissing' });
  const recipient = checkRecipient(input, errors);
  const amount = checkCoins(input.amount, 'amount', errors);
  const fee = checkCoins(input.fee, 'fee', errors);
  if (amount.ok && fee.ok && from && input.balance !== null) {
    // In bigint: two amounts near 2^53 add up past what a number holds exactly.
    const needed = BigInt(amount.value) + BigInt(fee.value);
    if (BigInt(input.balance) < needed) {
      errors.push({
        field: 'amount',
        key: 'wallet.error.funds',
        params: { node: from, balance: input.balance, needed: needed.toString() },
      });
    }
  }
  if (errors.length > 0 || !from || recipient === null || !amount.ok || !fee.ok) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    path: `/node/${from}/transactions/new`,
    body: { recipient, amount: amount.value, fee: fee.value },
  };
}

/** The node's answer to a payment, as a message. */
export type PaymentOutcome =
  | { readonly ok: true; readonly message: FormMessage | { readonly text: string } }
  | { readonly ok: false; readonly message: FormMessage };

function field(body: unknown, name: string): unknown {
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? (body as Record<string, unknown>)[name]
    : undefined;
}

/**
 * What the node said. 201 with "Transaction will be added to Block N" is a success naming the
 * block; 4xx and 5xx carry the node's `error` sentence, shown as it is.
 */
export function paymentOutcome(status: number, body: unknown): PaymentOutcome {
  if (status >= 400) {
    // A typed rejection has a sentence in every language; other errors are shown as sent.
    const reason = field(body, 'reason');
    if (typeof reason === 'string' && isRejectReason(reason)) {
      return { ok: false, message: { key: `reject.${reason}` } };
    }
    const error = field(body, 'error');
    const why = typeof error === 'string' && error.trim() !== '' ? error : `HTTP ${status}`;
    return { ok: false, message: { key: 'wallet.error.refused', params: { why } } };
  }
  const message = field(body, 'message');
  const text = typeof message === 'string' ? message : '';
  const index = /\bBlock (\d+)\b/.exec(text)?.[1];
  if (index !== undefined) {
    return { ok: true, message: { key: 'wallet.sent', params: { index: Number(index) } } };
  }
  return { ok: true, message: { text: text === '' ? `HTTP ${status}` : text } };
}

/** A call that never got an answer (the worker died, the page is resetting…). */
export function unreachable(error: unknown): FormMessage {
  const text = error instanceof Error ? error.message : String(error);
  return { key: 'wallet.error.unreachable', params: { error: text } };
}
