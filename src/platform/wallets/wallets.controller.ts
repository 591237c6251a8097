import { Body, Controller, Delete, Get, HttpCode, Injectable, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Face, LoginRoute } from '../../core/faces/face.js';
import { CallerApp } from '../common/app.decorator.js';
import { SbDoc } from '../common/docs.js';
import { Field, SessionArgsDto } from '../common/dto.js';
import { inputOf } from '../common/input.js';
import { pid } from '../common/ids.js';
import { PlatformUsersService } from '../users/platform-users.service.js';
import { fromUnits, tokenFor, TOKENS, type WalletType } from './chains.js';
import { WalletAuthService } from './wallet-auth.service.js';
import { walletView, WalletsService } from './wallets.service.js';

export class WalletBeginDto {
  @Field('ETH or SOL', 'ETH') wallet_type?: unknown;
  @Field('The wallet address (ETH any case; SOL base58)') public_address?: unknown;
  @Field('Attach to this user (optional)') user_id?: unknown;
}

export class WalletVerifyDto extends SessionArgsDto {
  @Field('ETH or SOL') wallet_type?: unknown;
  @Field('The wallet address') public_address?: unknown;
  @Field('ETH: personal_sign signature (0x hex); SOL: base58 ed25519 signature of the challenge') signature?: unknown;
}

export class WalletCreateDto {
  @Field('ETH SOL BTC DOT XLM') wallet_type?: unknown;
  @Field('user_…') user_id?: unknown;
}

export class WalletBalanceRequestDto {
  @Field('ETH SOL AVAX MATIC USDC USDT LINK DOT XLM BTC') token_symbol?: unknown;
  @Field('wallet_…') wallet_id?: unknown;
}

export class WalletListQueryDto {
  @Field('user_… (optional)') user_id?: unknown;
}

/** The custodial-wallet routes' work, shared by both paths they are served under. */
@Injectable()
export class WalletsApi {
  constructor(
    private readonly wallets: WalletsService,
    private readonly users: PlatformUsersService,
  ) {}

  async create(appId: string, body: unknown): Promise<unknown> {
    const input = inputOf(body);
    return walletView(await this.wallets.createOrGet(appId, input.user_id, input.wallet_type));
  }

  async balance(appId: string, body: unknown): Promise<unknown> {
    const input = inputOf(body);
    const wallet = await this.wallets.require(appId, input.wallet_id);
    const symbol = tokenFor(input.token_symbol, wallet.walletType as WalletType);
    const units = await this.wallets.balance(wallet.id, symbol);
    return { balance: fromUnits(units, TOKENS[symbol]!.decimals), token_symbol: symbol, wallet: walletView(wallet) };
  }

  async list(appId: string, query: unknown): Promise<unknown> {
    const input = inputOf(query);
    const user = input.user_id ? await this.users.require(appId, input.user_id) : undefined;
    return { wallets: (await this.wallets.list(appId, user?.id)).map(walletView) };
  }

  async get(appId: string, id: string): Promise<unknown> {
    return walletView(await this.wallets.require(appId, id));
  }
}

@ApiTags('wallets')
@Face('platform')
@Controller('v1')
export class WalletsController {
  constructor(
    private readonly wallets: WalletsService,
    private readonly auth: WalletAuthService,
    private readonly api: WalletsApi,
  ) {}

  @Post('auth/wallets/registrations/begin')
  @HttpCode(200)
  @SbDoc('Start a wallet sign-in: a challenge to sign (10 minutes)', {
    ok: 'WalletRegistration {id, user_id, public_address, wallet_type, challenge, expires_at}',
    bad: '`invalid_wallet_type`, `invalid_crypto_wallet_address`, `duplicate_wallet_address`',
    notFound: '`user_not_found`',
  })
  begin(@CallerApp() appId: string, @Body() body: WalletBeginDto): Promise<unknown> {
    return this.auth.begin(appId, inputOf(body));
  }

  @Post('auth/wallets/verify')
  @HttpCode(200)
  @LoginRoute()
  @SbDoc('Finish a wallet sign-in with the signed challenge (once)', {
    ok: 'Wallet + {session, session_token, session_jwt}',
    notFound: '`wallet_registration_not_found`, `session_not_found`',
    unauthorized: '`unable_to_authenticate_crypto_wallet`, `unauthorized_credentials`',
  })
  verify(@CallerApp() appId: string, @Body() body: WalletVerifyDto): Promise<unknown> {
    return this.auth.verify(appId, inputOf(body));
  }

  @Post('wallets/create')
  @HttpCode(200)
  @SbDoc("A user's custodial wallet of a type (the existing one, else a new default)", { ok: 'Wallet', bad: '`invalid_wallet_type`', notFound: '`user_not_found`' })
  create(@CallerApp() appId: string, @Body() body: WalletCreateDto): Promise<unknown> {
    return this.api.create(appId, body);
  }

  @Post('wallets/balance')
  @HttpCode(200)
  @SbDoc('Balance of a wallet in a token', { ok: '{balance, token_symbol, wallet}', bad: '`incompatible_currency`', notFound: '`wallet_not_found`' })
  balance(@CallerApp() appId: string, @Body() body: WalletBalanceRequestDto): Promise<unknown> {
    return this.api.balance(appId, body);
  }

  @Get('wallets/list')
  @SbDoc("The app's wallets, or one user's", { ok: '{wallets: [Wallet]}', notFound: '`user_not_found`' })
  list(@CallerApp() appId: string, @Query() query: WalletListQueryDto): Promise<unknown> {
    return this.api.list(appId, query);
  }

  @Get('wallets/:wallet_id')
  @SbDoc('A wallet', { ok: 'Wallet', notFound: '`wallet_not_found`' })
  get(@CallerApp() appId: string, @Param('wallet_id') id: string): Promise<unknown> {
    return this.api.get(appId, id);
  }

  @Delete('auth/users/wallets/:wallet_id/delete')
  @SbDoc("Delete a user's imported wallet (custodial wallets cannot be deleted)", {
    ok: '{message, user_id}',
    bad: '`cannot_delete_managed_wallet`',
    notFound: '`wallet_not_found`',
  })
  async remove(@CallerApp() appId: string, @Param('wallet_id') id: string): Promise<unknown> {
    const userId = await this.wallets.deleteImported(appId, id);
    return { message: 'Successfully deleted user wallet', user_id: pid('user', userId) };
  }
}

/** The same custodial-wallet routes under /v1/auth/wallets (the seed's "HTTP Request" lines). */
@ApiTags('wallets')
@Face('platform')
@Controller('v1/auth/wallets')
export class WalletAliasesController {
  constructor(private readonly inner: WalletsApi) {}

  @Post('create')
  @HttpCode(200)
  @SbDoc('Alias of POST /v1/wallets/create')
  create(@CallerApp() appId: string, @Body() body: WalletCreateDto): Promise<unknown> {
    return this.inner.create(appId, body);
  }

  @Post('balance')
  @HttpCode(200)
  @SbDoc('Alias of POST /v1/wallets/balance')
  balance(@CallerApp() appId: string, @Body() body: WalletBalanceRequestDto): Promise<unknown> {
    return this.inner.balance(appId, body);
  }

  @Get('list')
  @SbDoc('Alias of GET /v1/wallets/list')
  list(@CallerApp() appId: string, @Query() query: WalletListQueryDto): Promise<unknown> {
    return this.inner.list(appId, query);
  }

  @Get(':wallet_id')
  @SbDoc('Alias of GET /v1/wallets/:wallet_id')
  get(@CallerApp() appId: string, @Param('wallet_id') id: string): Promise<unknown> {
    return this.inner.get(appId, id);
  }
}

