import { createHmac, hkdfSync } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';

/**
 * Keyed equality indexes for sealed PII (phone numbers, document numbers). Barong uses a salted
 * CRC32, which collides and can be brute-forced; an HMAC-SHA256 under a key derived from
 * SECRET_KEY finds equal values without revealing them.
 */
@Injectable()
export class PiiIndex {
  private readonly key: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.key = Buffer.from(hkdfSync('sha256', config.secretKey, 'barong-nest', 'pii-index', 32));
  }

  of(kind: string, value: string): string {
    return createHmac('sha256', this.key).update(`${kind}\0${value}`).digest('hex');
  }
}
