import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../core/config/app-config.js';
import { SwaggerDocModule } from '../swagger-doc/swagger-doc.module.js';
import { CaptchaGate } from './captcha.js';
import { CaptchaController } from './captcha.controller.js';
import { GEETEST_API, HttpGeetestApi, HttpRecaptchaApi, RECAPTCHA_API } from './captcha-providers.js';
import { GeetestVerifier, RecaptchaVerifier } from './captcha-verifiers.js';

/** Captcha verifiers (reCAPTCHA, Geetest) registered with the CaptchaGate. */
@Module({
  imports: [SwaggerDocModule],
  controllers: [CaptchaController],
  providers: [
    { provide: RECAPTCHA_API, useClass: HttpRecaptchaApi },
    { provide: GEETEST_API, useClass: HttpGeetestApi },
    RecaptchaVerifier,
    GeetestVerifier,
  ],
  exports: [RecaptchaVerifier, GeetestVerifier],
})
export class CaptchaModule implements OnModuleInit {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly gate: CaptchaGate,
    private readonly recaptcha: RecaptchaVerifier,
    private readonly geetest: GeetestVerifier,
  ) {}

  onModuleInit(): void {
    if (this.config.barong.captcha === 'recaptcha') this.gate.register(this.recaptcha);
    if (this.config.barong.captcha === 'geetest') this.gate.register(this.geetest);
  }
}
