import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Face } from '../../core/faces/face.js';
import { CallerApp } from '../common/app.decorator.js';
import { SbDoc } from '../common/docs.js';
import { Field } from '../common/dto.js';
import { badRequest } from '../common/errors.js';
import { pid, uuidOf } from '../common/ids.js';
import { inputOf, intInRange, normalizeEmailInput, normalizePhoneInput, optBool, optString } from '../common/input.js';
import { canonicalWalletType } from '../wallets/chains.js';
import { emailView, phoneView, PlatformUsersService } from './platform-users.service.js';
import { buildSearch } from './user-search.js';
import { PlatformUser } from './user.entity.js';

export class UserCreateDto {
  @Field('E-mail address (required unless phone_number)', 'jane@example.com') email?: unknown;
  @Field('E.164 phone number (required unless email)', '+14155550123') phone_number?: unknown;
  @Field('First name') first_name?: unknown;
  @Field('Middle name') middle_name?: unknown;
  @Field('Last name') last_name?: unknown;
  @Field('true: pending until a method is verified; default false (active)') requires_verification?: unknown;
  @Field('Type of the default custodial wallet (ETH SOL BTC DOT XLM), default ETH') wallet_type?: unknown;
  @Field('true: also return the full user') include_user?: unknown;
}

export class UserUpdateDto {
  @Field('First name') first_name?: unknown;
  @Field('Middle name') middle_name?: unknown;
  @Field('Last name') last_name?: unknown;
  @Field('[{email}] to attach') emails?: unknown;
  @Field('[{phone_number}] to attach') phone_numbers?: unknown;
}

export class UserSearchDto {
  @Field('10…100, default 50') limit?: unknown;
  @Field('A user_id: the page starts after it') starting_after?: unknown;
  @Field('{operator: AND|OR, fields: [{field, operator: eq|in|lt|gt|between, value, second_value, values}]}') filters?: unknown;
}

/** Up to this many matches, a filtered page is read filter-first (see search). */
const FILTER_FIRST_LIMIT = 200_000;

/** 'all' for no filters, the statuses for a filter on status alone, else undefined. */
function statusOnly(filters: unknown): 'all' | string[] | undefined {
  if (filters === undefined || filters === null) return 'all';
  const f = filters as { fields?: { field?: unknown; operator?: unknown; value?: unknown; values?: unknown }[] };
  if (!Array.isArray(f.fields) || f.fields.length !== 1) return undefined;
  const only = f.fields[0]!;
  if (only.field !== 'status') return undefined;
  if (only.operator === 'eq' && typeof only.value === 'string') return [only.value];
  if (only.operator === 'in' && Array.isArray(only.values) && only.values.every((v) => typeof v === 'string')) return only.values as string[];
  return undefined;
}

const NAME_KEYS = [
  ['first_name', 'firstName'],
  ['middle_name', 'middleName'],
  ['last_name', 'lastName'],
] as const;

function namesOf(input: Record<string, unknown>): Partial<Pick<PlatformUser, 'firstName' | 'middleName' | 'lastName'>> {
  const out: Partial<Pick<PlatformUser, 'firstName' | 'middleName' | 'lastName'>> = {};
  for (const [key, prop] of NAME_KEYS) {
    const v = optString(input, key);
    if (v !== undefined) {
      if (v.length > 255) throw badRequest('bad_request', `${key} is too long`);
      out[prop] = v;
    }
  }
  return out;
}

@ApiTags('users')
@Face('platform')
@Controller('v1/auth/users')
export class UsersController {
  constructor(
    private readonly users: PlatformUsersService,
    private readonly dataSource: DataSource,
  ) {}

  @Post('create')
  @HttpCode(200)
  @SbDoc('Create a user (with a default custodial wallet)', {
    ok: '{user_id, status, email_id, phone_number_id [, user]}',
    bad: '`invalid_create_user_request`, `invalid_email`, `invalid_phone_number`, `invalid_wallet_type`, `duplicate_email`, `duplicate_phone_number`',
  })
  async create(@CallerApp() appId: string, @Body() body: UserCreateDto): Promise<unknown> {
    const input = inputOf(body);
    const rawEmail = optString(input, 'email');
    const rawPhone = optString(input, 'phone_number');
    if (!rawEmail && !rawPhone) throw badRequest('invalid_create_user_request', 'email or phone_number is required');
    const email = rawEmail ? normalizeEmailInput(rawEmail) : undefined;
    const phoneNumber = rawPhone ? normalizePhoneInput(rawPhone) : undefined;
    const walletType = canonicalWalletType(input.wallet_type ?? 'ETH');
    const status = optBool(input, 'requires_verification') ? 'pending' : 'active';
    const created = await this.dataSource.transaction((m) => this.users.create(m, appId, { email, phoneNumber, status, walletType, ...namesOf(input) }));
    const out: Record<string, unknown> = {
      user_id: pid('user', created.user.id),
      status,
      email_id: created.email ? pid('email', created.email.id) : '',
      phone_number_id: created.phone ? pid('pn', created.phone.id) : '',
    };
    if (optBool(input, 'include_user')) out.user = await this.users.presentOne(appId, created.user);
    return out;
  }

  @Post('search')
  @HttpCode(200)
  @SbDoc('Search the users of the app (filters AND/OR; cursor starting_after)', {
    ok: '{users: [User], total_count, has_more}',
    bad: '`invalid_limit`, `invalid_cursor`, `invalid_search_filter`',
  })
  async search(@CallerApp() appId: string, @Body() body: UserSearchDto): Promise<unknown> {
    const input = inputOf(body);
    const limit = intInRange(input, 'limit', 10, 100, 50, 'invalid_limit');
    const params: unknown[] = [appId];
    const where = buildSearch(input.filters, this.users.searchFields, params);
    const countParams = [...params];
    let cursor = '';
    if (input.starting_after !== undefined && input.starting_after !== null && input.starting_after !== '') {
      const after = uuidOf('user', input.starting_after);
      if (!after) throw badRequest('invalid_cursor', 'starting_after must be a user_id');
      params.push(after);
      cursor = ` AND u.id > $${params.length}`;
    }
    const repo = this.users.repository();
    const total = await this.countMatches(appId, input.filters, where, countParams);
    // A few matches among many users: find them by the filter's index and sort them. Ordering by
    // the id's 16 bytes (the same order as the uuid, which no index offers) keeps the primary key
    // from being walked in id order past every non-match, and compares bytes where the id's text
    // cost a conversion and a collated comparison per row (a third of a broad time range's time).
    const order = total <= FILTER_FIRST_LIMIT && !statusOnly(input.filters) ? 'uuid_send(u.id)' : 'u.id';
    const rows = (await this.dataSource.query(`SELECT u.id FROM platform_users u WHERE u.app_id = $1 AND ${where}${cursor} ORDER BY ${order} LIMIT ${limit + 1}`, params)) as { id: string }[];
    const ids = rows.slice(0, limit).map((r) => r.id);
    const found = ids.length ? await repo.createQueryBuilder('u').where('u.id IN (:...ids)', { ids }).andWhere('u.app_id = :appId', { appId }).orderBy('u.id').getMany() : [];
    return { users: await this.users.present(appId, found), total_count: total, has_more: rows.length > limit };
  }

  /** Every user, or every user of some statuses: from the per-app counters; anything else is counted. */
  private async countMatches(appId: string, filters: unknown, where: string, params: unknown[]): Promise<number> {
    const statuses = statusOnly(filters);
    if (statuses) {
      const rows = (await this.dataSource.query(
        'SELECT coalesce(sum(n), 0)::int AS n FROM platform_user_counts WHERE app_id = $1 AND ($2::text[] IS NULL OR status = ANY($2::text[]))',
        [appId, statuses === 'all' ? null : statuses],
      )) as { n: number }[];
      return rows[0]?.n ?? 0;
    }
    const rows = (await this.dataSource.query(`SELECT count(*)::int AS n FROM platform_users u WHERE u.app_id = $1 AND ${where}`, params)) as { n: number }[];
    return rows[0]?.n ?? 0;
  }

  @Get(':user_id')
  @SbDoc('Get a user', { ok: 'User', notFound: '`user_not_found`', bad: '`invalid_user_id`' })
  async get(@CallerApp() appId: string, @Param('user_id') userId: string): Promise<unknown> {
    return this.users.presentOne(appId, await this.users.require(appId, userId));
  }

  @Put(':user_id/update')
  @SbDoc('Update names; attach e-mails and phone numbers', {
    ok: '{user_id, emails, phone_numbers, user}',
    bad: '`invalid_email`, `invalid_phone_number`, `duplicate_email`, `duplicate_phone_number`',
    notFound: '`user_not_found`',
  })
  async update(@CallerApp() appId: string, @Param('user_id') userId: string, @Body() body: UserUpdateDto): Promise<unknown> {
    const input = inputOf(body);
    const names = namesOf(input);
    const list = (key: string, inner: string, normalize: (v: unknown) => string): string[] => {
      const v = input[key];
      if (v === undefined || v === null) return [];
      if (!Array.isArray(v)) throw badRequest('bad_request', `${key} must be an array of {${inner}}`);
      return v.map((item) => normalize(item && typeof item === 'object' ? (item as Record<string, unknown>)[inner] : item));
    };
    const emails = list('emails', 'email', normalizeEmailInput);
    const phones = list('phone_numbers', 'phone_number', normalizePhoneInput);
    return this.dataSource.transaction(async (m) => {
      const user = await this.users.require(appId, userId, m, true);
      if (Object.keys(names).length) await this.users.updateNames(m, user, names);
      const emailRows = [];
      for (const e of emails) emailRows.push(await this.users.attachEmail(m, user, e));
      const phoneRows = [];
      for (const p of phones) phoneRows.push(await this.users.attachPhone(m, user, p));
      if (!Object.keys(names).length && (emails.length || phones.length)) await this.users.touch(m, user.id);
      const fresh = (await this.users.find(appId, user.id, m))!;
      return {
        user_id: pid('user', user.id),
        emails: emailRows.map(emailView),
        phone_numbers: phoneRows.map(phoneView),
        user: await this.users.presentOne(appId, fresh, m),
      };
    });
  }

  @Delete(':user_id/delete')
  @SbDoc('Delete a user (sessions, identifiers, TOTPs, codes, wallets)', { ok: '{message, user_id}', notFound: '`user_not_found`' })
  async remove(@CallerApp() appId: string, @Param('user_id') userId: string): Promise<unknown> {
    await this.dataSource.transaction(async (m) => this.users.delete(m, await this.users.require(appId, userId, m, true)));
    return { message: 'Successfully deleted user', user_id: userId };
  }

  @Delete('emails/:email_id/delete')
  @SbDoc("Delete one of a user's e-mails", { ok: '{message, user_id}', notFound: '`email_not_found`' })
  async removeEmail(@CallerApp() appId: string, @Param('email_id') id: string): Promise<unknown> {
    const userId = await this.dataSource.transaction((m) => this.users.deleteEmail(m, appId, id));
    return { message: 'Successfully deleted user email', user_id: pid('user', userId) };
  }

  @Delete('phone_number/:phone_number_id/delete')
  @SbDoc("Delete one of a user's phone numbers", { ok: '{message, user_id}', notFound: '`phone_number_not_found`' })
  async removePhone(@CallerApp() appId: string, @Param('phone_number_id') id: string): Promise<unknown> {
    const userId = await this.dataSource.transaction((m) => this.users.deletePhone(m, appId, id));
    return { message: 'Successfully deleted user phone number', user_id: pid('user', userId) };
  }

  @Delete('phone_numbers/:phone_number_id/delete')
  @SbDoc("Delete one of a user's phone numbers (the SDKs' plural path)", { ok: '{message, user_id}', notFound: '`phone_number_not_found`' })
  removePhonePlural(@CallerApp() appId: string, @Param('phone_number_id') id: string): Promise<unknown> {
    return this.removePhone(appId, id);
  }

  @Delete('webauthn_credentials/:webauthn_credential_id/delete')
  @SbDoc("Delete one of a user's WebAuthn credentials", { ok: '{message, user_id}', notFound: '`webauthn_credential_not_found`' })
  async removeWebauthn(@CallerApp() appId: string, @Param('webauthn_credential_id') id: string): Promise<unknown> {
    const userId = await this.dataSource.transaction((m) => this.users.deleteWebauthn(m, appId, id));
    return { message: 'Successfully deleted user WebAuthn credential', user_id: pid('user', userId) };
  }
}
