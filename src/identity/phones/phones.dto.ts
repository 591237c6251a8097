import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { Required } from '../../core/http/validation.js';

export const PHONE_CHANNELS = ['sms', 'call'] as const;

export class PhoneNumberDto {
  @ApiProperty({ example: '+380991232322', description: 'Phone number with country code' })
  @Required('resource.phone')
  @IsString({ message: 'resource.phone.missing_phone_number' })
  phone_number: string;

  @ApiPropertyOptional({ enum: PHONE_CHANNELS, default: 'sms', description: 'The verification method to use' })
  @IsOptional()
  @IsIn(PHONE_CHANNELS, { message: 'resource.phone.invalid_channel' })
  channel?: (typeof PHONE_CHANNELS)[number];
}

export class PhoneVerifyDto {
  @ApiProperty({ example: '+380991232322', description: 'Phone number with country code' })
  @Required('resource.phone')
  @IsString({ message: 'resource.phone.missing_phone_number' })
  phone_number: string;

  @ApiProperty({ example: '12345', description: 'Verification code from the SMS' })
  @Required('resource.phone')
  @IsString({ message: 'resource.phone.missing_verification_code' })
  verification_code: string;
}

/** Barong's `Phone` entity. */
export class PhoneDto {
  @ApiProperty({ example: 'UA' })
  country: string;

  @ApiProperty({ example: '380*****2322', description: 'Masked in user views' })
  number: string;

  @ApiProperty({ nullable: true, example: '2026-01-01T00:00:00.000Z' })
  validated_at: string | null;
}

export class PhoneMessageDto {
  @ApiProperty({ example: 'Code was sent successfully via sms' })
  message: string;
}
