import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { errorsDoc } from '../../core/http/errors.dto.js';
import { CurrentUser } from '../../core/auth/decorators.js';
import type { BarongPrincipal } from '../../core/auth/principal.js';
import { PROFILE_FIELDS } from './profile-rules.js';
import { ProfileView } from './profile-views.js';
import { UserProfileDto } from './profiles.dto.js';
import { ProfilesService } from './profiles.service.js';
import { Face } from '../../core/faces/face.js';

const FIELD_ERRORS =
  'first_name.invalid|too_long, last_name.invalid|too_long, city.invalid|too_long, "country.must have alpha2 or alpha3 format", ' +
  'postcode.invalid|too_short|too_long, address.invalid|too_long, metadata.invalid_format, dob.invalid_format, dob.invalid, ' +
  'resource.profile.non_boolean_confirm';

export function fieldsOf(dto: object): Record<string, unknown> {
  const src = dto as Record<string, unknown>;
  return Object.fromEntries(PROFILE_FIELDS.filter((f) => src[f] !== undefined).map((f) => [f, src[f]]));
}

@ApiTags('resource')
@Face('barong')
@Controller('api/v2/barong/resource/profiles')
export class ResourceProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get('me')
  @ApiOkResponse({ type: [ProfileView], description: "All the user's profiles (last name and birth date masked)" })
  async me(@CurrentUser() p: BarongPrincipal): Promise<ProfileView[]> {
    return (await this.profiles.listForUser(p.id)).map((x) => this.profiles.view(x, { masked: true }));
  }

  @Post()
  @HttpCode(201)
  @ApiCreatedResponse({ type: ProfileView, description: 'A drafted profile, or submitted with confirm=true' })
  @ApiUnprocessableEntityResponse(errorsDoc(`state.exists (an open profile exists), ${FIELD_ERRORS}`))
  async create(@CurrentUser() p: BarongPrincipal, @Body() body: UserProfileDto): Promise<ProfileView> {
    return this.profiles.view(await this.profiles.create(p.id, fieldsOf(body), body.confirm), { masked: true });
  }

  @Put()
  @ApiOkResponse({ type: ProfileView, description: 'The drafted profile, edited (submitted with confirm=true)' })
  @ApiNotFoundResponse(errorsDoc('resource.profile.doesnt_exist_or_not_editable'))
  @ApiUnprocessableEntityResponse(errorsDoc(FIELD_ERRORS))
  async update(@CurrentUser() p: BarongPrincipal, @Body() body: UserProfileDto): Promise<ProfileView> {
    return this.profiles.view(await this.profiles.updateDrafted(p.id, fieldsOf(body), body.confirm), { masked: true });
  }
}
