import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../core/auth/decorators.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { Face } from '../../core/faces/face.js';
import { Meta, type RequestMeta } from '../../core/http/request-context.js';
import { businessError } from '../common/business-error.js';
import { Bool, EmptyDto, ErrorDetailDto, Id, Int, Str } from '../common/dto.js';
import { isId } from '../common/ids.js';
import { NetworksService } from '../networks/networks.service.js';
import { isValidAddress } from './address-validation.js';
import { CircleGateway } from './circle-gateway.js';
import { WalletsService } from './wallets.service.js';

export class ValidateAddressDto {
  @Str(undefined, 256) address?: string;
  @Str('SOL (default) or MATIC / POLYGON', 32) chain?: string;
}

export class ValidateAddressResultDto {
  @ApiPropertyOptional({ description: 'Present (true) only when valid' }) valid?: boolean;
}

class WalletInfoDto {
  @ApiProperty() wallet_id: string;
  @ApiProperty() token_id: string;
  @ApiProperty() blockchain: string;
  @ApiProperty() blockchain_symbol: string;
  @ApiProperty() create_date: string;
  @ApiProperty() balance_usdc_nano_cents: number;
  @ApiProperty() address: string;
}

export class WalletBalanceDto {
  @ApiPropertyOptional({ type: WalletInfoDto }) wallet_info?: WalletInfoDto;
}

class UserTokenDto {
  @ApiProperty() user_token: string;
  @ApiProperty() encryption_key: string;
}

export class CircleChallengeDto {
  @ApiPropertyOptional({ type: UserTokenDto }) user_token?: UserTokenDto;
  @ApiPropertyOptional() challenge_id?: string;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

export class TransferOutDto {
  @Str(undefined, 256) to_address?: string;
  @Int() amount_usdc_nano_cents?: number;
  @Bool() terms?: boolean;
}

export class AddWalletDto {
  @Str('SOL or MATIC', 32) blockchain?: string;
  @Str(undefined, 256) wallet_address?: string;
  @Str('USDC', 16) default_token_type?: string;
}

export class WalletIdDto {
  @ApiProperty({ format: 'uuid' }) wallet_id: string;
}

class AccountWalletDto {
  @ApiProperty({ format: 'uuid' }) wallet_id: string;
  @ApiPropertyOptional() circle_wallet_id?: string;
  @ApiProperty({ format: 'uuid' }) network_id: string;
  @ApiProperty({ enum: ['external', 'circle_uc'] }) wallet_type: string;
  @ApiProperty() blockchain: string;
  @ApiProperty() wallet_address: string;
  @ApiProperty() active: boolean;
  @ApiProperty() default_token_type: string;
  @ApiProperty() create_time: string;
}

export class WalletsDto {
  @ApiProperty({ type: [AccountWalletDto] }) wallets: AccountWalletDto[];
}

export class RemoveWalletDto {
  @Str(undefined, 64) wallet_id?: string;
}

export class RemoveWalletResultDto {
  @ApiProperty() success: boolean;
  @ApiPropertyOptional({ type: ErrorDetailDto }) error?: ErrorDetailDto;
}

export class PayoutWalletDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) wallet_id: string | null;
}

export class SetPayoutWalletDto {
  @Id(undefined, true) wallet_id: string;
}

export class ReferralCodeDto {
  @ApiProperty() referral_code: string;
  @ApiProperty() total_referrals: number;
}

@ApiTags('network wallets')
@ApiBearerAuth()
@Face('network')
@Controller()
export class WalletsController {
  constructor(
    private readonly wallets: WalletsService,
    private readonly networks: NetworksService,
    @Inject(CircleGateway) private readonly circle: CircleGateway,
  ) {}

  @Get('wallet/balance')
  @ApiOperation({ summary: 'The newest Circle wallet of the user, or {} when there is none' })
  @ApiOkResponse({ type: WalletBalanceDto })
  async balance(@CurrentPrincipal() p: NetworkPrincipal): Promise<WalletBalanceDto> {
    const info = await this.circle.walletInfo(p.networkId, p.userId);
    return info ? { wallet_info: info } : {};
  }

  @Post('wallet/validate-address')
  @HttpCode(200)
  @ApiOperation({ summary: 'Whether an address is a valid Solana (default) or Polygon wallet address' })
  @ApiOkResponse({ type: ValidateAddressResultDto })
  validateAddress(@Body() body: ValidateAddressDto): ValidateAddressResultDto {
    return isValidAddress(body.address ?? '', body.chain) ? { valid: true } : {};
  }

  @Post('wallet/circle-init')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start a Circle user-controlled wallet (a business error when Circle is not configured)' })
  @ApiOkResponse({ type: CircleChallengeDto })
  circleInit(@CurrentPrincipal() p: NetworkPrincipal): Promise<CircleChallengeDto> {
    return this.circle.initWallet(p.networkId, p.userId);
  }

  @Post('wallet/circle-transfer-out')
  @HttpCode(200)
  @ApiOperation({ summary: 'Transfer USDC out of the Circle wallet' })
  @ApiOkResponse({ type: CircleChallengeDto })
  async circleTransferOut(@Body() body: TransferOutDto, @CurrentPrincipal() p: NetworkPrincipal): Promise<CircleChallengeDto> {
    if (body.terms !== true) throw businessError('You must accept the terms of transfer.');
    if (!body.amount_usdc_nano_cents || body.amount_usdc_nano_cents <= 0) throw businessError('Invalid amount.');
    if (!isValidAddress(body.to_address ?? '', undefined) && !isValidAddress(body.to_address ?? '', 'MATIC')) throw businessError('invalid wallet address');
    return this.circle.transferOut(p.networkId, p.userId, body.to_address!, body.amount_usdc_nano_cents);
  }

  @Post('account/wallet')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add an external payout wallet (the first becomes the payout wallet)' })
  @ApiOkResponse({ type: WalletIdDto })
  addWallet(@Body() body: AddWalletDto, @CurrentPrincipal() p: NetworkPrincipal, @Meta() meta: RequestMeta): Promise<{ wallet_id: string }> {
    return this.wallets.add(p, { blockchain: body.blockchain, walletAddress: body.wallet_address, defaultTokenType: body.default_token_type }, meta);
  }

  @Get('account/wallets')
  @ApiOperation({ summary: 'The network\'s active wallets' })
  @ApiOkResponse({ type: WalletsDto })
  async list(@CurrentPrincipal() p: NetworkPrincipal): Promise<{ wallets: Record<string, unknown>[] }> {
    return { wallets: await this.wallets.list(p) };
  }

  @Post('account/wallets/remove')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove one of the network\'s wallets' })
  @ApiOkResponse({ type: RemoveWalletResultDto })
  async remove(@Body() body: RemoveWalletDto, @CurrentPrincipal() p: NetworkPrincipal, @Meta() meta: RequestMeta): Promise<RemoveWalletResultDto> {
    const id = body.wallet_id ?? '';
    if (!isId(id)) return { success: false, error: { message: `Error parsing id ${id}` } };
    return { success: await this.wallets.remove(p, id, meta) };
  }

  @Get('account/payout-wallet')
  @ApiOperation({ summary: 'The payout wallet ({"wallet_id": null} when unset)' })
  @ApiOkResponse({ type: PayoutWalletDto })
  async payoutWallet(@CurrentPrincipal() p: NetworkPrincipal): Promise<PayoutWalletDto> {
    return { wallet_id: await this.wallets.payoutWallet(p) };
  }

  @Post('account/payout-wallet')
  @HttpCode(200)
  @ApiOperation({ summary: 'Choose the payout wallet (an active wallet of the network)' })
  @ApiOkResponse({ type: EmptyDto })
  async setPayoutWallet(@Body() body: SetPayoutWalletDto, @CurrentPrincipal() p: NetworkPrincipal, @Meta() meta: RequestMeta): Promise<Record<string, never>> {
    await this.wallets.setPayoutWallet(p, body.wallet_id, meta);
    return {};
  }

  @Get('account/referral-code')
  @ApiOperation({ summary: 'The network\'s referral code and how many networks signed up with it' })
  @ApiOkResponse({ type: ReferralCodeDto })
  async referralCode(@CurrentPrincipal() p: NetworkPrincipal): Promise<ReferralCodeDto> {
    const [code, total] = await Promise.all([this.networks.referralCode(p.networkId), this.networks.countReferredBy(p.networkId)]);
    return { referral_code: code, total_referrals: total };
  }
}
