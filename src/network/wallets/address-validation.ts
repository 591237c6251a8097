import { keccak_256 } from '@noble/hashes/sha3.js';
import bs58 from 'bs58';

/** The USDC mint on Solana: a token address, never a wallet. */
const USDC_MINT = 'EPjFWdd5AufqSSo1M8gRuTgRcjGdTBEYLkYcg2BFzHdw';

export type Chain = 'SOL' | 'MATIC';

/** The chain a `blockchain` / `chain` value names (case-insensitive), or undefined. */
export function chainOf(value: string | undefined): Chain | undefined {
  const v = (value ?? '').trim().toUpperCase();
  if (v === 'SOL' || v === 'SOLANA') return 'SOL';
  if (v === 'MATIC' || v === 'POLY' || v === 'POLYGON') return 'MATIC';
  return undefined;
}

export function isSolanaAddress(address: string): boolean {
  if (address === USDC_MINT || !/^[1-9A-HJ-NP-Za-km-z]{32,44}$/.test(address)) return false;
  try {
    return bs58.decode(address).length === 32;
  } catch {
    return false;
  }
}

/** 0x + 40 hex; a mixed-case address must carry a valid EIP-55 checksum. */
export function isPolygonAddress(address: string): boolean {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) return false;
  const hex = address.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  const hash = Buffer.from(keccak_256(new TextEncoder().encode(hex.toLowerCase()))).toString('hex');
  for (let i = 0; i < 40; i++) {
    const c = hex[i]!;
    if (/[a-f]/i.test(c) && (parseInt(hash[i]!, 16) >= 8 ? c !== c.toUpperCase() : c !== c.toLowerCase())) return false;
  }
  return true;
}

/** An address is valid for its chain; an empty chain means Solana. */
export function isValidAddress(address: string, chain: string | undefined): boolean {
  const c = (chain ?? '').trim() === '' ? 'SOL' : chainOf(chain);
  if (c === 'SOL') return isSolanaAddress(address.trim());
  if (c === 'MATIC') return isPolygonAddress(address.trim());
  return false;
}
