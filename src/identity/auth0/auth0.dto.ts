import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { Required } from '../../core/http/validation.js';

export class Auth0LoginDto {
  @ApiProperty({ description: 'ID Token (Auth0, RS256)' })
  @Required('identity.session')
  id_token: string;

  @ApiPropertyOptional({ description: 'Code from Google Authenticator (users with 2FA on)' })
  @IsOptional()
  @IsString({ message: 'identity.session.invalid_otp' })
  otp_code?: string;
}

export class Auth0ConfigDto {
  @ApiProperty({ nullable: true, type: String, example: 'example.eu.auth0.com' })
  auth0_domain: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'zR9pXcE1u6y2AbCdEf' })
  auth0_client_id: string | null;
}
