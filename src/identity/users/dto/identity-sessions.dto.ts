import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { CaptchaResponseProperty } from '../../captcha/captcha-response.js';
import { Required } from '../../../core/http/validation.js';

export class LoginDto {
  @ApiProperty({ example: 'john@example.com' })
  @Required('identity.session')
  @IsString({ message: 'identity.session.invalid_params' })
  email: string;

  @ApiProperty()
  @Required('identity.session')
  @IsString({ message: 'identity.session.invalid_params' })
  password: string;

  @ApiPropertyOptional({ description: 'TOTP code (or a recovery code) when 2FA is on' })
  @IsOptional()
  @IsString({ message: 'identity.session.invalid_otp' })
  otp_code?: string;

  @CaptchaResponseProperty()
  captcha_response?: unknown;
}
