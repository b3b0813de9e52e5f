// Typed errors of the on-chain anchor (src/anchor). None of them ever carries the Ethereum private key.
import { ZkReserveError } from '../errors.js';

/** solc-js is not the pinned version, or a contract does not compile. */
export class ContractBuildError extends ZkReserveError {
  constructor(message: string) {
    super('CONTRACT_BUILD', message);
  }
}

/** The chain refused a call or transaction: `errorName` is the contract's custom error, when decoded. */
export class AnchorRevertError extends ZkReserveError {
  constructor(
    message: string,
    readonly errorName: string | undefined,
  ) {
    super('ANCHOR_REVERTED', message);
  }
}

/** The JSON-RPC endpoint cannot be reached or answers something unusable (no contract at an address, …). */
export class AnchorRpcError extends ZkReserveError {
  constructor(message: string) {
    super('ANCHOR_RPC', message);
  }
}

/** A bad input to the anchor: an address, a key, a bundle that cannot be anchored. */
export class AnchorInputError extends ZkReserveError {
  constructor(message: string) {
    super('ANCHOR_INPUT', message);
  }
}
