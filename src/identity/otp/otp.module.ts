import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OtpRecoveryCode } from './otp-recovery-code.entity.js';
import { OtpSecret } from './otp-secret.entity.js';
import { OtpController } from './otp.controller.js';
import { OtpService } from './otp.service.js';

/** TOTP 2FA: QR enrolment, enable/disable/verify, recovery codes; registers the SecondFactor verifier. */
@Module({
  imports: [TypeOrmModule.forFeature([OtpSecret, OtpRecoveryCode])],
  controllers: [OtpController],
  providers: [OtpService],
  exports: [OtpService],
})
export class OtpModule {}
