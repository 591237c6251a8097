import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { Required } from '../../core/http/validation.js';

export class PingDto {
  @ApiProperty({ example: 'pong' })
  ping: string;
}

export class TimeDto {
  @ApiProperty({ description: 'Server time, ISO 8601', example: '2026-11-22T00:00:00.000Z' })
  time: string;
}

export class VersionDto {
  @ApiProperty() git_tag: string;
  @ApiProperty() git_sha: string;
  @ApiProperty() build_date: string;
  @ApiProperty() version: string;
}

export class ConfigsDto {
  @ApiProperty({ example: 1800 }) session_expire_time: number;
  @ApiProperty({ enum: ['none', 'recaptcha', 'geetest'] }) captcha_type: string;
  @ApiPropertyOptional({ description: 'reCAPTCHA site key (only with recaptcha)' }) captcha_id?: string;
  @ApiProperty() phone_verification_type: string;
  @ApiProperty({ example: 14 }) password_min_entropy: number;
  @ApiProperty() password_regexp: string;
}

export class PasswordValidateIdentityDto {
  @ApiProperty({ description: 'Password to measure' })
  @Required('identity.general')
  @IsString({ message: 'identity.general.invalid_password' })
  password: string;
}

export class PasswordValidatePublicDto {
  @ApiProperty({ description: 'Password to measure' })
  @Required('public.general')
  @IsString({ message: 'public.general.invalid_password' })
  password: string;
}

export class EntropyDto {
  @ApiProperty({ example: 32 })
  entropy: number;
}
