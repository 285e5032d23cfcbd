/**
 * The tamper lab's form: what the learner typed as a new amount, fee or recipient, checked with the
 * wallet's readers (the same messages wherever coins or a recipient are entered) and turned into a
 * core edit. A value the form refuses changes nothing; the core checks the rules again
 * (src/core/tamper.ts), and its typed refusal becomes a message for the same field.
 */
import type { EditableField, PaymentEdit } from '../../core/tamper.ts';
import type { Transfer } from '../../core/tx.ts';
import type { Address } from '../../core/types.ts';
import { parseAddress } from '../../core/types.ts';
import type { Rejection } from '../../core/validation.ts';
import type { FormMessage } from './wallet-form.ts';
import { readCoins, readRecipient } from './wallet-form.ts';

/** Every field an edit may change, in the order the form lists them. */
export const EDITABLE_FIELDS = [
  'amount',
  'recipient',
  'fee',
] as const satisfies readonly EditableField[];

/** What the learner entered. */
export interface TamperInput {
  readonly field: EditableField;
  /** The new value as typed: coins, or an address or node id. */
  readonly value: string;
  /** The payment as it is in the block. */
  readonly payment: Transfer;
  /** The simulation's nodes, so a node id can name a recipient. */
  readonly nodes: readonly { readonly id: string; readonly address: string }[];
}

/** Either the edit to make, or what is wrong with the value. */
export type TamperCheck =
  | { readonly ok: true; readonly edit: PaymentEdit }
  | { readonly ok: false; readonly error: FormMessage };

/** The value a payment holds now in a field, as the form shows it. */
export function currentValue(payment: Transfer, field: EditableField): string {
  return field === 'recipient' ? payment.recipient : payment[field].toString();
}

/** Check the new value; an edit that changes nothing is refused too (nothing would break). */
export function checkEdit(input: TamperInput): TamperCheck {
  const edit = readEdit(input);
  if (!edit.ok) return edit;
  const { value } = edit.edit;
  if (value.toString() === currentValue(input.payment, input.field)) {
    return { ok: false, error: { key: 'tamper.error.unchanged' } };
  }
  return edit;
}

function readEdit({ field, value, nodes }: TamperInput): TamperCheck {
  if (field === 'recipient') {
    const to = readRecipient(
      value,
      nodes.map((n) => n.id),
    );
    if (!to.ok) {
      return { ok: false, error: to.params ? { key: to.key, params: to.params } : { key: to.key } };
    }
    const address = parseAddress(to.value) ?? nodes.find((n) => n.id === to.value)?.address;
    const recipient = parseAddress(address);
    return recipient
      ? { ok: true, edit: { field, value: recipient } }
      : { ok: false, error: { key: 'wallet.error.recipient' } };
  }
  const coins = readCoins(value, field);
  if (!coins.ok) return { ok: false, error: { key: coins.key } };
  return { ok: true, edit: { field, value: BigInt(coins.value) } };
}

/** The core's refusal of a value, as a message for the value field: the reason's sentence. */
export function refusalMessage(rejection: Rejection): FormMessage {
  return { key: `reject.${rejection.reason}` };
}

/** An address the form resolved, for display: a node's id when it is one. */
export function nameOf(address: Address, nodes: TamperInput['nodes']): string {
  return nodes.find((n) => n.address === address)?.id ?? `${address.slice(0, 8)}…`;
}
