import { Module } from '@nestjs/common';

/** Captcha verifiers (reCAPTCHA, Geetest) registered with the CaptchaGate. */
@Module({})
export class CaptchaModule {}
