import { Module } from '@nestjs/common';

/** Login with an OpenID Connect ID token (Auth0). */
@Module({})
export class Auth0Module {}
