import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { OutboxMessage } from './outbox-message.entity.js';
import { EventOutboxEntry } from './event-outbox.entity.js';
import { EventsService } from './events.service.js';
import { EventPublisher } from './event-publisher.service.js';
import { OUTBOX_POLL_MS, OutboxService } from './outbox.service.js';
import { LogMailTransport, LogSmsTransport, MailTransport, SmsTransport, SmtpMailTransport, WebhookSmsTransport } from './transports.js';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([OutboxMessage, EventOutboxEntry])],
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
    EventsService,
    EventPublisher,
  ],
  exports: [OutboxService, EventsService, EventPublisher],
})
export class MessagingModule {}
