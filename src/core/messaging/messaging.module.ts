import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { OUTBOX_POLL_MS, OutboxService } from './outbox.service.js';
import { LogMailTransport, LogSmsTransport, MailTransport, SmsTransport, SmtpMailTransport, WebhookSmsTransport } from './transports.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage])],
  providers: [
    {
      provide: MailTransport,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => (c.smtpUrl ? new SmtpMailTransport(c.smtpUrl, c.mailFrom) : new LogMailTransport()),
    },
    {
      provide: SmsTransport,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => (c.smsWebhookUrl ? new WebhookSmsTransport(c.smsWebhookUrl) : new LogSmsTransport()),
    },
    { provide: OUTBOX_POLL_MS, inject: [APP_CONFIG], useFactory: (c: AppConfig) => c.outboxPollMs },
    OutboxService,
  ],
  exports: [OutboxService],
})
export class MessagingModule {}
