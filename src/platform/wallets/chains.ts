import { createPublicKey, generateKeyPairSync, randomBytes, verify as nodeVerify } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import bs58 from 'bs58';
import { badRequest } from '../common/errors.js';

export type WalletType = 'ETH' | 'SOL' | 'BTC' | 'DOT' | 'XLM';
export const WALLET_TYPES: readonly WalletType[] = ['ETH', 'SOL', 'BTC', 'DOT', 'XLM'];
const ALIASES: Record<string, WalletType> = { ethereum: 'ETH', solana: 'SOL', bitcoin: 'BTC', polkadot: 'DOT', stellar: 'XLM' };

/** ETH, SOL, BTC, DOT, XLM, also as ethereum/solana/bitcoin (any case); 400 invalid_wallet_type otherwise. */
export function canonicalWalletType(value: unknown): WalletType {
  if (typeof value === 'string') {
    const v = value.trim();
    const upper = v.toUpperCase() as WalletType;
    if (WALLET_TYPES.includes(upper)) return upper;
    const alias = ALIASES[v.toLowerCase()];
    if (alias) return alias;
  }
  throw badRequest('invalid_wallet_type', `wallet_type must be one of ${WALLET_TYPES.join(', ')}`);
}

/** Token symbols each wallet type holds, and their decimals on the integer ledger. */
export const TOKENS: Record<string, { decimals: number; chains: WalletType[] }> = {
  ETH: { decimals: 18, chains: ['ETH'] },
  MATIC: { decimals: 18, chains: ['ETH'] },
  AVAX: { decimals: 18, chains: ['ETH'] },
  USDC: { decimals: 6, chains: ['ETH'] },
  USDT: { decimals: 6, chains: ['ETH'] },
  LINK: { decimals: 18, chains: ['ETH'] },
  SOL: { decimals: 9, chains: ['SOL'] },
  BTC: { decimals: 8, chains: ['BTC'] },
  DOT: { decimals: 10, chains: ['DOT'] },
  XLM: { decimals: 7, chains: ['XLM'] },
};

export function tokenFor(symbol: unknown, walletType: WalletType, allowed?: readonly string[]): string {
  const s = typeof symbol === 'string' ? symbol.trim().toUpperCase() : '';
  const token = TOKENS[s];
  if (!token) throw badRequest('incompatible_currency', `unknown currency ${String(symbol)}`);
  if (!token.chains.includes(walletType) || (allowed && !allowed.includes(s))) throw badRequest('incompatible_currency', `${s} cannot be held by a ${walletType} wallet`);
  return s;
}

/** "1.5" → 1500000000000000000n for 18 decimals; 400 invalid_amount for anything but a positive decimal. */
export function toUnits(amount: unknown, decimals: number): bigint {
  const s = typeof amount === 'number' && Number.isFinite(amount) ? String(amount) : typeof amount === 'string' ? amount.trim() : '';
  const m = /^(\d{1,30})(?:\.(\d+))?$/.exec(s);
  if (!m) throw badRequest('invalid_amount', 'amount must be a positive decimal string');
  const frac = m[2] ?? '';
  if (frac.length > decimals) throw badRequest('invalid_amount', `at most ${decimals} decimals`);
  const units = BigInt(m[1]! + frac.padEnd(decimals, '0'));
  if (units <= 0n) throw badRequest('invalid_amount', 'amount must be greater than zero');
  return units;
}

/** 1500000000000000000n → "1.5" (trailing zeros trimmed). */
export function fromUnits(units: bigint, decimals: number): string {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals).replace(/0+$/, '');
  return `${neg ? '-' : ''}${whole}${frac ? '.' + frac : ''}`;
}

export interface GeneratedKey {
  address: string;
  /** The private key, hex or PKCS#8 PEM; sealed by the caller. */
  privateKey: string;
}

const ethAddressOf = (uncompressed: Uint8Array): string => '0x' + Buffer.from(keccak_256(uncompressed.slice(1)).slice(-20)).toString('hex');

function base58check(payload: Uint8Array): string {
  const checksum = sha256(sha256(payload)).slice(0, 4);
  return bs58.encode(Buffer.concat([payload, checksum]));
}

function crc16xmodem(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

function base32(data: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function ed25519Pair(): { publicKey: Buffer; pem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
  return { publicKey: raw, pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/**
 * A new key pair and its address in the chain's format: ETH lower-case hex, BTC testnet P2PKH
 * (test apps), SOL base58, DOT SS58 (Polkadot, ed25519 account), XLM `G…` strkey.
 */
export function generateWalletKey(type: WalletType): GeneratedKey {
  switch (type) {
    case 'ETH':
    case 'BTC': {
      const sk = secp256k1.utils.randomSecretKey();
      const privateKey = Buffer.from(sk).toString('hex');
      if (type === 'ETH') return { address: ethAddressOf(secp256k1.getPublicKey(sk, false)), privateKey };
      const hash = ripemd160(sha256(secp256k1.getPublicKey(sk, true)));
      return { address: base58check(Uint8Array.from([0x6f, ...hash])), privateKey };
    }
    case 'SOL': {
      const { publicKey, pem } = ed25519Pair();
      return { address: bs58.encode(publicKey), privateKey: pem };
    }
    case 'DOT': {
      const { publicKey, pem } = ed25519Pair();
      const payload = Uint8Array.from([0x00, ...publicKey]);
      const checksum = blake2b(Uint8Array.from([...Buffer.from('SS58PRE'), ...payload]), { dkLen: 64 }).slice(0, 2);
      return { address: bs58.encode(Uint8Array.from([...payload, ...checksum])), privateKey: pem };
    }
    case 'XLM': {
      const { publicKey, pem } = ed25519Pair();
      const payload = Uint8Array.from([6 << 3, ...publicKey]);
      const crc = crc16xmodem(payload);
      return { address: base32(Uint8Array.from([...payload, crc & 0xff, crc >> 8])), privateKey: pem };
    }
  }
}

/** Whether `address` is well formed for the chain (the sign-in chains and transfer destinations). */
export function normalizeAddress(type: WalletType, value: unknown): string {
  const bad = () => badRequest('invalid_crypto_wallet_address', `${String(value)} is not a ${type} address`);
  if (typeof value !== 'string') throw bad();
  const v = value.trim();
  switch (type) {
    case 'ETH':
      if (!/^0x[0-9a-fA-F]{40}$/.test(v)) throw bad();
      return v.toLowerCase();
    case 'SOL':
      try {
        if (bs58.decode(v).length !== 32) throw bad();
      } catch {
        throw bad();
      }
      return v;
    case 'BTC':
      if (!/^[123mn][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(v) && !/^(bc1|tb1)[02-9ac-hj-np-z]{11,71}$/.test(v)) throw bad();
      return v;
    case 'DOT':
      if (!/^[1-9A-HJ-NP-Za-km-z]{46,48}$/.test(v)) throw bad();
      return v;
    case 'XLM': {
      const [address, memo] = v.split(':');
      if (!/^G[A-Z2-7]{55}$/.test(address ?? '') || (memo !== undefined && !/^[\w-]{1,28}$/.test(memo))) throw bad();
      return v;
    }
  }
}

/** A fresh challenge nonce: 32 random bytes, base64url (43 characters). */
export const challengeNonce = (): string => randomBytes(32).toString('base64url');

/** The EIP-191 personal_sign digest of a UTF-8 message. */
export function personalSignDigest(message: string): Uint8Array {
  const body = Buffer.from(message, 'utf8');
  return keccak_256(Buffer.concat([Buffer.from(`\x19Ethereum Signed Message:\n${body.length}`, 'utf8'), body]));
}

/** Whether an Ethereum `personal_sign` signature (0x hex or base64 of r‖s‖v) over `message` is by `address`. */
export function verifyEthSignature(address: string, message: string, signature: string): boolean {
  let bytes: Buffer;
  const s = signature.trim();
  if (/^(0x)?[0-9a-fA-F]{130}$/.test(s)) bytes = Buffer.from(s.replace(/^0x/, ''), 'hex');
  else if (/^[A-Za-z0-9+/]{86}[A-Za-z0-9+/=]{2}$/.test(s)) bytes = Buffer.from(s, 'base64');
  else return false;
  if (bytes.length !== 65) return false;
  const v = bytes[64]!;
  const recovery = v >= 27 ? v - 27 : v;
  if (recovery !== 0 && recovery !== 1) return false;
  try {
    const sig = Uint8Array.from([recovery, ...bytes.subarray(0, 64)]);
    const compressed = secp256k1.recoverPublicKey(sig, personalSignDigest(message), { prehash: false });
    const uncompressed = secp256k1.Point.fromBytes(compressed).toBytes(false);
    return ethAddressOf(uncompressed) === address.toLowerCase();
  } catch {
    return false;
  }
}

/** Whether a base58 ed25519 signature over the UTF-8 message is by the Solana address (its public key). */
export function verifySolSignature(address: string, message: string, signature: string): boolean {
  try {
    const key = bs58.decode(address);
    const sig = bs58.decode(signature.trim());
    if (key.length !== 32 || sig.length !== 64) return false;
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key).toString('base64url') }, format: 'jwk' });
    return nodeVerify(null, Buffer.from(message, 'utf8'), publicKey, sig);
  } catch {
    return false;
  }
}
