import { describe, expect, it } from 'vitest';
import { chargeNeverMadeReason, decideFromCharge } from './reconcile-decision.ts';

const chargeId = '0b8a4f7e-3c1d-4d7e-9a51-0c2f3e4d5a6b';

describe('deciding a pending order from its charge', () => {
  it('when the charge was approved, then the order is paid with that charge', () => {
    expect(decideFromCharge({ id: chargeId, status: 'approved', reason: null })).toEqual({ outcome: 'paid', chargeId });
  });

  it('when the card was declined, then the order failed with the decline reason', () => {
    expect(decideFromCharge({ id: chargeId, status: 'declined', reason: 'insufficient_funds' })).toEqual({
      outcome: 'payment_failed',
      reason: 'insufficient_funds',
      chargeId,
    });
  });

  it('when the card network failed the charge, then the order failed with the network failure', () => {
    expect(decideFromCharge({ id: chargeId, status: 'failed', reason: 'gateway_timeout' })).toEqual({
      outcome: 'payment_failed',
      reason: 'gateway_timeout',
      chargeId,
    });
  });

  it('when payments never received the charge, then the order failed and no charge is named', () => {
    expect(decideFromCharge(undefined)).toEqual({ outcome: 'payment_failed', reason: chargeNeverMadeReason, chargeId: null });
  });

  it('when the charge is still at the card network, then nothing is decided yet', () => {
    expect(decideFromCharge({ id: chargeId, status: 'processing', reason: null })).toEqual({ outcome: 'charge_processing', chargeId });
  });
});
