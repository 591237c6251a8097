import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDefined, IsOptional, IsString } from 'class-validator';
import { CaptchaResponseProperty } from '../../captcha/captcha-response.js';
import { NotBlank, Required } from '../../../core/http/validation.js';

export class RegisterDto {
  @ApiProperty({ example: 'john@example.com' })
  @Required('identity.user')
  @IsString({ message: 'email.invalid' })
  email: string;

  @ApiProperty({ example: 'Str0ng!Passw0rd' })
  @Required('identity.user')
  @IsString({ message: 'password.requirements' })
  password: string;

  @ApiPropertyOptional({ description: '4-12 letters and digits' })
  @IsOptional()
  @IsString({ message: 'username.invalid' })
  username?: string;

  @ApiPropertyOptional({ description: 'Referral uid' })
  @IsOptional()
  @IsString({ message: 'identity.user.invalid_referral_format' })
  refid?: string;

  @ApiPropertyOptional({ description: 'Additional JSON data (string, at most 1024 characters)' })
  @IsOptional()
  @IsString({ message: 'data.invalid_format' })
  data?: string;

  @CaptchaResponseProperty()
  captcha_response?: unknown;
}

export class EmailDto {
  @ApiProperty({ example: 'john@example.com' })
  @Required('identity.user')
  @IsString({ message: 'email.invalid' })
  email: string;

  @CaptchaResponseProperty()
  captcha_response?: unknown;
}

export class ConfirmEmailDto {
  @ApiProperty({ description: 'The token from the confirmation mail' })
  @Required('identity.user')
  @IsString({ message: 'identity.user.invalid_token' })
  token: string;
}

export class ConfirmPasswordResetDto {
  @ApiProperty({ description: 'The token from the reset mail' })
  @IsDefined({ message: 'identity.user.missing_pass_token' })
  @NotBlank('identity.user.empty_reset_password_token')
  @IsString({ message: 'identity.user.empty_reset_password_token' })
  reset_password_token: string;

  @ApiProperty()
  @Required('identity.user')
  @IsString({ message: 'password.requirements' })
  password: string;

  @ApiProperty()
  @Required('identity.user')
  @IsString({ message: 'identity.user.passwords_doesnt_match' })
  confirm_password: string;
}
