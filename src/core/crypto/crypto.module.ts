import { Global, Module } from '@nestjs/common';
import { PasswordHasher } from './password-hasher.js';
import { SecretSealer } from './secret-sealer.js';

@Global()
@Module({ providers: [PasswordHasher, SecretSealer], exports: [PasswordHasher, SecretSealer] })
export class CryptoModule {}
