import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Repository } from 'typeorm';
import { CurrentPrincipal } from '../../core/auth/decorators.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { Face } from '../../core/faces/face.js';
import { Bool, EmptyDto } from '../common/dto.js';
import { NetworkFeedback, NetworkPreferences } from './preferences.entity.js';

export class SetPreferencesDto {
  @Bool() product_updates?: boolean;
}

export class PreferencesDto {
  @ApiProperty() product_updates: boolean;
}


class FeedbackUsesDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() personal?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() business?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() provider?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() browsing?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() streaming?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() gaming?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() other?: boolean;
}

class FeedbackNeedsDto {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() private?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() safe?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() global?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() collaborate?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() app_control?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() block_data_brokers?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() block_ads?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() focus?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() connect_servers?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() run_servers?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() prevent_cyber?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() audit?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() zero_trust?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() visualize?: boolean;
  @ApiPropertyOptional({ type: String, nullable: true }) @IsOptional() @IsString() @MaxLength(10_000) other?: string | null;
}

export class SendFeedbackDto {
  @ApiPropertyOptional({ type: FeedbackUsesDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => FeedbackUsesDto) uses?: FeedbackUsesDto;
  @ApiPropertyOptional({ type: FeedbackNeedsDto }) @IsOptional() @IsObject() @ValidateNested() @Type(() => FeedbackNeedsDto) needs?: FeedbackNeedsDto;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(5) star_count?: number;
}

export class FeedbackResultDto {
  @ApiProperty({ format: 'uuid' }) feedback_id: string;
}


@ApiTags('network preferences')
@ApiBearerAuth()
@Face('network')
@Controller()
export class PreferencesController {
  constructor(
    @InjectRepository(NetworkPreferences) private readonly preferences: Repository<NetworkPreferences>,
    @InjectRepository(NetworkFeedback) private readonly feedback: Repository<NetworkFeedback>,
  ) {}

  @Post('preferences/set-preferences')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the network\'s preferences' })
  @ApiOkResponse({ type: EmptyDto })
  async set(@Body() body: SetPreferencesDto, @CurrentPrincipal() p: NetworkPrincipal): Promise<Record<string, never>> {
    await this.preferences.upsert({ networkId: p.networkId, productUpdates: body.product_updates ?? false }, ['networkId']);
    return {};
  }

  @Get('preferences')
  @ApiOperation({ summary: 'The network\'s preferences ({"product_updates": false} before any are set)' })
  @ApiOkResponse({ type: PreferencesDto })
  async get(@CurrentPrincipal() p: NetworkPrincipal): Promise<PreferencesDto> {
    const row = await this.preferences.findOne({ where: { networkId: p.networkId } });
    return { product_updates: row?.productUpdates ?? false };
  }

  @Post('feedback/send-feedback')
  @HttpCode(200)
  @ApiOperation({ summary: 'Store feedback of the network\'s user' })
  @ApiOkResponse({ type: FeedbackResultDto })
  async send(@Body() body: SendFeedbackDto, @CurrentPrincipal() p: NetworkPrincipal): Promise<FeedbackResultDto> {
    const row = this.feedback.create({ networkId: p.networkId, userId: p.userId, uses: { ...(body.uses ?? {}) }, needs: { ...(body.needs ?? {}) }, starCount: body.star_count ?? null });
    await this.feedback.save(row);
    return { feedback_id: row.id };
  }
}
