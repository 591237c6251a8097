import { fromPublicId, toPublicId } from '../../core/database/public-id.js';

/** The public id prefixes of the platform face (Streambird's). */
export type IdPrefix = 'user' | 'email' | 'pn' | 'sess' | 'totp' | 'wallet' | 'walletrr' | 'transfer' | 'idpuser' | 'webauthn' | 'jwk';

export const pid = (prefix: IdPrefix, uuid: string): string => toPublicId(prefix, uuid);
export const uuidOf = (prefix: IdPrefix, id: unknown): string | undefined => fromPublicId(prefix, id);
