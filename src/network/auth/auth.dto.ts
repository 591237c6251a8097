import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Bool, ErrorDetailDto, Int, Num, Str } from '../common/dto.js';

export class NetworkLoginDto {
  @Str('An e-mail address or a phone number') user_auth?: string;
  @Str('An SSO id token (Apple or Google); not supported here') auth_jwt?: string;
  @Str('apple or google') auth_jwt_type?: string;
}

export class LoginResultDto {
  @ApiPropertyOptional() user_auth?: string;
  @ApiPropertyOptional({ type: [String] }) auth_allowed?: string[];
  @ApiPropertyOptional() user_name?: string;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

export class LoginWithPasswordDto {
  @Str() user_auth?: string;
  @Str() password?: string;
  @Bool('Send a 6-digit verification code if one is needed') verify_otp_numeric?: boolean;
}

class ByJwtDto {
  @ApiPropertyOptional() by_jwt?: string;
  @ApiPropertyOptional() name?: string;
}

class VerificationRequiredDto {
  @ApiProperty() user_auth: string;
}

export class AuthNetworkResultDto {
  @ApiPropertyOptional({ type: ByJwtDto }) network?: ByJwtDto;
  @ApiPropertyOptional({ type: VerificationRequiredDto }) verification_required?: VerificationRequiredDto;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

export class VerifyDto {
  @Str() user_auth?: string;
  @Str() verify_code?: string;
}

export class VerifySendDto {
  @Str() user_auth?: string;
  @Bool() use_numeric?: boolean;
}

export class UserAuthResultDto {
  @ApiPropertyOptional() user_auth?: string;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

export class PasswordResetDto {
  @Str() user_auth?: string;
}

export class PasswordSetDto {
  @Str() reset_code?: string;
  @Str() password?: string;
}

export class NetworkCheckDto {
  @Str() network_name?: string;
}

export class NetworkCheckResultDto {
  @ApiProperty() available: boolean;
}

export class NetworkCreateDto {
  @Str() user_name?: string;
  @Str() user_auth?: string;
  @Str() auth_jwt?: string;
  @Str() auth_jwt_type?: string;
  @Str() password?: string;
  @Str() network_name?: string;
  @Bool() terms?: boolean;
  @Bool() verify_use_numeric?: boolean;
  @Str('A referral code of another network') referral_code?: string;
}

class CreatedNetworkDto {
  @ApiPropertyOptional({ format: 'uuid' }) network_id?: string;
  @ApiPropertyOptional() network_name?: string;
  @ApiPropertyOptional() by_jwt?: string;
}

export class NetworkCreateResultDto {
  @ApiPropertyOptional({ type: CreatedNetworkDto }) network?: CreatedNetworkDto;
  @ApiPropertyOptional({ type: VerificationRequiredDto }) verification_required?: VerificationRequiredDto;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

export class CodeCreateDto {
  @Num('Default 1, at most 1440') duration_minutes?: number;
  @Int('Default 1, at most 100') uses?: number;
}

class CodeCreateErrorDto extends ErrorDetailDto {
  @ApiPropertyOptional() auth_code_limit_exceeded?: boolean;
}

export class CodeCreateResultDto {
  @ApiPropertyOptional() auth_code?: string;
  @ApiPropertyOptional() duration_minutes?: number;
  @ApiPropertyOptional() uses?: number;
  @ApiPropertyOptional({ type: CodeCreateErrorDto }) error?: CodeCreateErrorDto;
}

export class CodeLoginDto {
  @Str(undefined, 4096) auth_code?: string;
}

export class CodeLoginResultDto {
  @ApiPropertyOptional() by_jwt?: string;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}
