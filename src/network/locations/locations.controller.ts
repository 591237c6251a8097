import { randomInt } from 'node:crypto';
import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../core/auth/decorators.js';
import { AppError } from '../../core/http/app-error.js';
import { Face } from '../../core/faces/face.js';
import { isId } from '../common/ids.js';
import { ProviderStatsService } from '../stats/provider-stats.service.js';
import {
  CreateProviderSpecDto,
  CreateProviderSpecResultDto,
  FindLocationsDto,
  FindProviders2Dto,
  FindProviders2ResultDto,
  FindProvidersDto,
  FindProvidersResultDto,
  LocationsResultDto,
} from './locations.dto.js';
import { LocationsService, type LocationsResult } from './locations.service.js';

const DEFAULT_PROVIDER_COUNT = 10;
const MAX_PROVIDER_COUNT = 1_000;
const US = 'us';

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const fraction = (b: FindLocationsDto): number | undefined => (b.enable_max_distance_fraction ? b.max_distance_fraction : undefined);

@ApiTags('network locations')
@Face('network')
@Controller('network')
export class LocationsController {
  constructor(
    private readonly locations: LocationsService,
    private readonly stats: ProviderStatsService,
  ) {}

  @Get('provider-locations')
  @Public()
  @ApiOperation({ summary: 'Locations and groups with public providers, with counts' })
  @ApiOkResponse({ type: LocationsResultDto })
  providerLocations(): Promise<LocationsResult> {
    return this.locations.providerLocations();
  }

  @Post('find-provider-locations')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Typo-tolerant search over locations that have public providers' })
  @ApiOkResponse({ type: LocationsResultDto })
  findProviderLocations(@Body() body: FindLocationsDto): Promise<LocationsResult> {
    return this.locations.findProviderLocations(body.query ?? '', fraction(body));
  }

  @Post('find-locations')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Typo-tolerant search over every country, region, city and group' })
  @ApiOkResponse({ type: LocationsResultDto })
  findLocations(@Body() body: FindLocationsDto): Promise<LocationsResult> {
    return this.locations.findLocations(body.query ?? '', fraction(body));
  }

  @Post('find-providers')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Public providers in a location or group (legacy)' })
  @ApiOkResponse({ type: FindProvidersResultDto })
  async findProviders(@Body() body: FindProvidersDto): Promise<{ client_ids: string[] }> {
    const count = Math.min(MAX_PROVIDER_COUNT, body.count ?? 0);
    if (count <= 0) return { client_ids: [] };
    const countries = await this.locations.countriesOf({ locationId: body.location_id, groupId: body.location_group_id });
    const excluded = new Set((body.exclude_location_ids ?? []).map((id) => id.toLowerCase()));
    const ids = (await this.locations.publicProviders()).filter((p) => countries.has(p.countryCode) && !excluded.has(p.clientId)).map((p) => p.clientId);
    const chosen = shuffle(ids).slice(0, count);
    await this.stats.recordSearchInterest(chosen);
    return { client_ids: chosen };
  }

  @Post('find-providers2')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Providers for specs (locations, groups, clients), honouring exclusions' })
  @ApiOkResponse({ type: FindProviders2ResultDto })
  async findProviders2(@Body() body: FindProviders2Dto): Promise<{ providers: { client_id: string; estimated_bytes_per_second: number }[] }> {
    for (const path of body.exclude_destinations ?? []) {
      if (!Array.isArray(path) || !path.every(isId)) throw new AppError(422, 'exclude_destinations.invalid_id');
    }
    const count = Math.min(MAX_PROVIDER_COUNT, body.count && body.count > 0 ? body.count : DEFAULT_PROVIDER_COUNT);
    const countries = new Set<string>();
    const direct: string[] = [];
    for (const spec of body.specs ?? []) {
      if (spec.client_id) direct.push(spec.client_id.toLowerCase());
      if (spec.best_available) countries.add(US);
      for (const cc of await this.locations.countriesOf({ locationId: spec.location_id, groupId: spec.location_group_id })) countries.add(cc);
    }
    const excluded = new Set((body.exclude_client_ids ?? []).map((id) => id.toLowerCase()));
    const intermediaries = new Set<string>();
    for (const path of body.exclude_destinations ?? []) {
      if (!path.length) continue;
      excluded.add(path[path.length - 1]!.toLowerCase());
      for (const hop of path.slice(0, -1)) intermediaries.add(hop.toLowerCase());
    }
    const candidates = new Map<string, number>();
    for (const id of direct) if (!excluded.has(id)) candidates.set(id, 0);
    for (const p of await this.locations.publicProviders()) {
      if (countries.has(p.countryCode) && !excluded.has(p.clientId) && !candidates.has(p.clientId)) candidates.set(p.clientId, intermediaries.has(p.clientId) ? 5 : 0);
    }
    const ranked = shuffle([...candidates]).sort((a, b) => a[1] - b[1]).slice(0, count);
    const chosen = ranked.map(([id]) => id);
    await this.stats.recordSearchInterest(chosen);
    return { providers: chosen.map((client_id) => ({ client_id, estimated_bytes_per_second: 0 })) };
  }

  @Post('create-provider-spec')
  @HttpCode(200)
  @Public()
  @ApiOperation({ summary: 'Provider specs for a query (the best matching locations and groups with providers)' })
  @ApiOkResponse({ type: CreateProviderSpecResultDto })
  async createProviderSpec(@Body() body: CreateProviderSpecDto): Promise<{ specs: Record<string, string>[] }> {
    if (!(body.query ?? '').trim()) return { specs: [] };
    const found = await this.locations.findProviderLocations(body.query ?? '');
    return {
      specs: [
        ...found.groups.map((g) => ({ location_group_id: g.location_group_id })),
        ...found.locations.map((l) => ({ location_id: l.location_id })),
        ...found.devices.map((d) => ({ client_id: d.client_id })),
      ].slice(0, 10),
    };
  }
}
