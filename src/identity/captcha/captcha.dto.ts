import { ApiProperty } from '@nestjs/swagger';

export class GeetestRegisterDto {
  @ApiProperty({ description: 'Geetest captcha id', example: '2b7a5f4a2b7a5f4a2b7a5f4a2b7a5f4a' })
  gt: string;

  @ApiProperty({ description: 'md5(remote challenge + key)', example: '0f9c7b1f6c4a1c3c2f1e0d9c8b7a6f5e' })
  challenge: string;
}
