import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Required } from '../../core/http/validation.js';

export class OtpCodeDto {
  @ApiProperty({ description: 'Code from Google Authenticator', example: '123456' })
  @Transform(({ value }) => (typeof value === 'number' ? String(value) : value))
  @Required('resource.otp')
  code: string;
}

export class OtpQrDataDto {
  @ApiProperty({ description: 'QR code of the otpauth URL, a base64 PNG' })
  barcode: string;

  @ApiProperty({ example: 'otpauth://totp/Barong:john@example.com?secret=JBSWY3DPEHPK3PXP&issuer=Barong&algorithm=SHA1&digits=6&period=30' })
  url: string;
}

export class OtpQrDto {
  @ApiProperty({ type: OtpQrDataDto })
  data: OtpQrDataDto;
}

export class OtpEnabledDto {
  @ApiProperty({
    description: 'Ten single-use recovery codes, shown once: each can replace a TOTP code at login.',
    type: [String],
    example: ['abcde-fghjk'],
  })
  recovery_codes: string[];
}
