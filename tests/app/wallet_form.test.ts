import { describe, expect, it } from 'vitest';
import { translate } from '../../src/app/i18n/catalog.ts';
import type { WalletCheck, WalletInput } from '../../src/app/state/wallet-form.ts';
import { checkPayment, paymentOutcome, unreachable } from '../../src/app/state/wallet-form.ts';

const ADDRESS = '0123456789abcdef0123456789abcdef01234567';

const valid: WalletInput = {
  from: 'n1',
  to: 'n2',
  amount: 3,
  fee: 0,
  balance: 10,
  nodeIds: ['n1', 'n2', 'n3'],
};

function errorsOf(r: WalletCheck): { field: string; key: string; params?: unknown }[] {
  if (r.ok) throw new Error('expected errors');
  return r.errors.map((e) => ({ ...e }));
}

function keysOf(r: WalletCheck): string[] {
  return errorsOf(r).map((e) => `${e.field}:${e.key}`);
}

describe('checkPayment: a valid payment', () => {
  it('gives the route and the body to send', () => {
    expect(checkPayment(valid)).toEqual({
      ok: true,
      path: '/node/n1/transactions/new',
      body: { recipient: 'n2', amount: 3, fee: 0 },
    });
  });

  it('accepts an address, trimmed and lowercased, and node ids typed in capitals', () => {
    const r = checkPayment({ ...valid, to: `  ${ADDRESS.toUpperCase()} ` });
    expect(r.ok && r.body.recipient).toBe(ADDRESS);
    const n = checkPayment({ ...valid, to: ' N3 ' });
    expect(n.ok && n.body.recipient).toBe('n3');
  });

  it('reads numbers typed as text, and an empty fee as no fee', () => {
    for (const fee of ['', null, undefined, '  ']) {
      const r = checkPayment({ ...valid, amount: ' 4 ', fee });
      expect(r.ok && r.body).toEqual({ recipient: 'n2', amount: 4, fee: 0 });
    }
    const r = checkPayment({ ...valid, amount: '2', fee: '1' });
    expect(r.ok && r.body).toEqual({ recipient: 'n2', amount: 2, fee: 1 });
  });

  it('allows spending the whole balance, amount plus fee', () => {
    expect(checkPayment({ ...valid, amount: 7, fee: 3, balance: 10 }).ok).toBe(true);
  });

  it('leaves the funds check to the node when the balance is unknown', () => {
    expect(checkPayment({ ...valid, amount: 1_000, balance: null }).ok).toBe(true);
  });

  it('accepts any well-formed node id when the list of nodes is not given', () => {
    const withoutList: WalletInput = { from: 'n1', to: 'n9', amount: 1, fee: 0, balance: 5 };
    expect(checkPayment(withoutList).ok).toBe(true);
  });
});

describe('checkPayment: the amount', () => {
  it('must be there', () => {
    for (const amount of [null, undefined, '', '   ']) {
      expect(keysOf(checkPayment({ ...valid, amount }))).toEqual([
        'amount:wallet.error.amountMissing',
      ]);
    }
  });

  it('must be a whole number', () => {
    for (const amount of [2.5, '2.5', 'abc', '0x10', '5 coins', Number.NaN, Infinity]) {
      expect(keysOf(checkPayment({ ...valid, amount })), String(amount)).toEqual([
        'amount:wallet.error.amountWhole',
      ]);
    }
  });

  it('must be at least 1', () => {
    for (const amount of [0, -1, '-3', -0]) {
      expect(keysOf(checkPayment({ ...valid, amount })), String(amount)).toEqual([
        'amount:wallet.error.amountMin',
      ]);
    }
  });

  it('must not exceed 2^53 - 1', () => {
    expect(keysOf(checkPayment({ ...valid, amount: 2 ** 53, balance: null }))).toEqual([
      'amount:wallet.error.amountTooLarge',
    ]);
    expect(checkPayment({ ...valid, amount: 2 ** 53 - 1, balance: null }).ok).toBe(true);
  });
});

describe('checkPayment: the fee', () => {
  it('must be a whole number, zero or more, and not too large', () => {
    expect(keysOf(checkPayment({ ...valid, fee: 0.5 }))).toEqual(['fee:wallet.error.feeWhole']);
    expect(keysOf(checkPayment({ ...valid, fee: 'x' }))).toEqual(['fee:wallet.error.feeWhole']);
    expect(keysOf(checkPayment({ ...valid, fee: -1 }))).toEqual(['fee:wallet.error.feeNegative']);
    expect(keysOf(checkPayment({ ...valid, fee: 2 ** 53, balance: null }))).toEqual([
      'fee:wallet.error.feeTooLarge',
    ]);
  });

  it('sends -0 as 0', () => {
    const r = checkPayment({ ...valid, fee: -0 });
    expect(r.ok && Object.is(r.body.fee, 0)).toBe(true);
  });
});

describe('checkPayment: the balance', () => {
  it('names the node, its balance and what the payment needs', () => {
    expect(errorsOf(checkPayment({ ...valid, amount: 4, fee: 1, balance: 3 }))).toEqual([
      {
        field: 'amount',
        key: 'wallet.error.funds',
        params: { node: 'n1', balance: 3, needed: '5' },
      },
    ]);
    expect(translate('en', 'wallet.error.funds', { node: 'n1', balance: 3, needed: '5' })).toBe(
      'Not enough coins: n1 has 3 and this payment needs 5 (amount plus fee).',
    );
  });

  it('adds amount and fee exactly, even near 2^53', () => {
    const max = Number.MAX_SAFE_INTEGER;
    const r = errorsOf(checkPayment({ ...valid, amount: max, fee: 2, balance: max }));
    expect(r[0]?.params).toEqual({ node: 'n1', balance: max, needed: '9007199254740993' });
  });

  it('is checked only once amount and fee are valid', () => {
    expect(keysOf(checkPayment({ ...valid, amount: 2.5, balance: 0 }))).toEqual([
      'amount:wallet.error.amountWhole',
    ]);
    expect(keysOf(checkPayment({ ...valid, fee: -1, balance: 0 }))).toEqual([
      'fee:wallet.error.feeNegative',
    ]);
  });
});

describe('checkPayment: who pays and who receives', () => {
  it('needs a payer', () => {
    expect(keysOf(checkPayment({ ...valid, from: '' }))).toEqual(['from:wallet.error.fromMissing']);
  });

  it('needs a recipient that is an address or a node', () => {
    expect(keysOf(checkPayment({ ...valid, to: ' ' }))).toEqual([
      'to:wallet.error.recipientMissing',
    ]);
    for (const to of ['0xabc', ADDRESS.slice(1), `${ADDRESS}0`, 'has space', '9lives']) {
      expect(keysOf(checkPayment({ ...valid, to })), to).toEqual(['to:wallet.error.recipient']);
    }
  });

  it('catches a node that does not exist, naming it', () => {
    expect(errorsOf(checkPayment({ ...valid, to: 'n9' }))).toEqual([
      { field: 'to', key: 'wallet.error.unknownNode', params: { node: 'n9' } },
    ]);
  });

  it('reports every problem at once, in the order of the form', () => {
    expect(keysOf(checkPayment({ ...valid, from: '', to: '', amount: '', fee: -2 }))).toEqual([
      'from:wallet.error.fromMissing',
      'to:wallet.error.recipientMissing',
      'amount:wallet.error.amountMissing',
      'fee:wallet.error.feeNegative',
    ]);
  });
});

describe('paymentOutcome', () => {
  it('names the block on 201', () => {
    const body = { message: 'Transaction will be added to Block 7', transaction: {} };
    const r = paymentOutcome(201, body);
    expect(r).toEqual({ ok: true, message: { key: 'wallet.sent', params: { index: 7 } } });
    expect(translate('en', 'wallet.sent', { index: 7 })).toBe(
      'Payment sent: it will be added to block 7.',
    );
  });

  it("shows the node's message as it is when it names no block", () => {
    expect(paymentOutcome(201, { message: 'Accepted' })).toEqual({
      ok: true,
      message: { text: 'Accepted' },
    });
    expect(paymentOutcome(201, null)).toEqual({ ok: true, message: { text: 'HTTP 201' } });
  });

  it("shows the node's error on 4xx and 5xx: the node has the last word", () => {
    // A typed rejection is told in the page's language.
    const typed = paymentOutcome(400, {
      error: 'Insufficient funds…',
      reason: 'insufficient-funds',
    });
    expect(typed).toEqual({ ok: false, message: { key: 'reject.insufficient-funds' } });
    expect(translate('fr', 'reject.insufficient-funds')).not.toBe(
      translate('en', 'reject.insufficient-funds'),
    );
    // Anything else is shown as the node said it.
    const error = 'The sender does not have enough coins for the amount plus the fee.';
    const r = paymentOutcome(400, { error, reason: 'something-new' });
    expect(r).toEqual({
      ok: false,
      message: { key: 'wallet.error.refused', params: { why: error } },
    });
    expect(translate('en', 'wallet.error.refused', { why: error })).toBe(
      `The node refused the payment: ${error}`,
    );
    expect(paymentOutcome(429, { error: 'Too many payments are waiting.' }).ok).toBe(false);
    expect(paymentOutcome(500, 'oops')).toEqual({
      ok: false,
      message: { key: 'wallet.error.refused', params: { why: 'HTTP 500' } },
    });
    expect(paymentOutcome(404, { error: '' }).message).toEqual({
      key: 'wallet.error.refused',
      params: { why: 'HTTP 404' },
    });
  });

  it('explains a call that never got an answer', () => {
    expect(unreachable(new Error('worker gone'))).toEqual({
      key: 'wallet.error.unreachable',
      params: { error: 'worker gone' },
    });
    expect(unreachable('timeout').params).toEqual({ error: 'timeout' });
  });
});
