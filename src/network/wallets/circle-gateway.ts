import { businessError } from '../common/business-error.js';

export interface CircleWalletInfo {
  wallet_id: string;
  token_id: string;
  blockchain: string;
  blockchain_symbol: string;
  create_date: string;
  balance_usdc_nano_cents: number;
  address: string;
}

export interface CircleChallenge {
  user_token: { user_token: string; encryption_key: string };
  challenge_id: string;
}

/**
 * Circle's user-controlled wallets, an external service. The service talks to it only through
 * this interface; a deployment with a Circle account binds its own implementation.
 */
export abstract class CircleGateway {
  /** The newest Circle wallet of the user, if any. */
  abstract walletInfo(networkId: string, userId: string): Promise<CircleWalletInfo | undefined>;
  abstract initWallet(networkId: string, userId: string): Promise<CircleChallenge>;
  abstract transferOut(networkId: string, userId: string, toAddress: string, amountNanoCents: number): Promise<CircleChallenge>;
}

/** No Circle account configured: no wallets, and the wallet flows answer a business error. */
export class UnconfiguredCircleGateway extends CircleGateway {
  async walletInfo(): Promise<CircleWalletInfo | undefined> {
    return undefined;
  }

  async initWallet(): Promise<CircleChallenge> {
    throw businessError('Circle wallets are not configured on this service.');
  }

  async transferOut(): Promise<CircleChallenge> {
    throw businessError('Circle wallets are not configured on this service.');
  }
}
