import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PreferencesController } from './preferences.controller.js';
import { NetworkFeedback, NetworkPreferences } from './preferences.entity.js';

/** Preferences and feedback of a network. */
@Module({
  imports: [TypeOrmModule.forFeature([NetworkPreferences, NetworkFeedback])],
  controllers: [PreferencesController],
})
export class PreferencesModule {}
