// Reserve evidence verified offline and, with an RPC URL, online for the EVM items. Node only (level 16).
export { EIP1271_MAGIC, checkEvmOnline } from './check-evm.js';
export { verifyReserves } from './verify-reserves.js';
