import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { ActivitiesService } from '../../core/audit/activities.service.js';
import type { NetworkPrincipal } from '../../core/auth/principal.js';
import { SecretSealer } from '../../core/crypto/secret-sealer.js';
import { randomHex, safeEqual } from '../../core/crypto/tokens.js';
import type { RequestMeta } from '../../core/http/request-context.js';
import { CounterStore } from '../../core/kv/counter-store.js';
import { UsersService } from '../../identity/users/users.service.js';
import { NetworkTokens } from '../auth/network-tokens.service.js';
import { ClientsService } from '../clients/clients.service.js';
import { businessError } from '../common/business-error.js';
import { ZERO_ID } from '../common/ids.js';
import { NetworksService } from '../networks/networks.service.js';
import { codeHash, newDeviceCode, secretHash } from './device-codes.js';
import { DeviceAdoptCode, DeviceAssociationName, DeviceShareCode } from './device.entity.js';

const ADOPT_MINUTES = 15;
const ADD_LIMIT = 10;
const ADD_WINDOW_SECONDS = 30 * 60;
const SEAL = 'device-code';
const invalidCode = () => businessError('Invalid code.');
const minutesLeft = (expiresAt: Date): number => Math.max(0, (expiresAt.getTime() - Date.now()) / 60_000);
const LOCKED_OUT = new Set(['banned', 'deleted', 'locked']);

/** Sharing a client with another network, and adopting an unauthenticated device into a network. */
@Injectable()
export class DevicesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: ClientsService,
    private readonly networks: NetworksService,
    private readonly tokens: NetworkTokens,
    private readonly users: UsersService,
    private readonly sealer: SecretSealer,
    private readonly activities: ActivitiesService,
    @Inject(CounterStore) private readonly counters: CounterStore,
  ) {}

  private open(sealed: string): string {
    return this.sealer.open(sealed, SEAL);
  }

  async createShareCode(p: NetworkPrincipal, clientId: string, deviceName: string | undefined, meta: RequestMeta): Promise<{ share_code: string }> {
    const client = await this.clients.findActive(p.networkId, clientId);
    if (!client) throw businessError('Invalid client.');
    const name = (deviceName || (await this.clients.deviceName(client.deviceId)) || client.description).slice(0, 256);
    const code = newDeviceCode();
    await this.dataSource.transaction(async (m) => {
      await m.insert(DeviceShareCode, { codeHash: codeHash(code), codeSealed: this.sealer.seal(code, SEAL), ownerNetworkId: p.networkId, clientId: client.id, deviceName: name, guestNetworkId: null, confirmed: false });
      await this.activities.record({ userId: p.userId, topic: 'device', action: 'create share code', result: 'succeed', meta, data: { face: 'network', network_id: p.networkId, client_id: client.id } }, m);
    });
    return { share_code: code };
  }

  /** Whether the caller may show the share code's QR (it is the owner or the guest). */
  async canSeeShareCode(p: NetworkPrincipal, code: string): Promise<boolean> {
    const share = await this.dataSource.manager.findOne(DeviceShareCode, { where: { codeHash: codeHash(code) } });
    return !!share && (share.ownerNetworkId === p.networkId || share.guestNetworkId === p.networkId);
  }

  async adoptCodeExists(code: string): Promise<boolean> {
    return this.dataSource.manager.exists(DeviceAdoptCode, { where: { codeHash: codeHash(code) } });
  }

  async shareStatus(p: NetworkPrincipal, code: string): Promise<Record<string, unknown>> {
    const share = await this.dataSource.manager.findOne(DeviceShareCode, { where: { codeHash: codeHash(code), ownerNetworkId: p.networkId } });
    if (!share) throw businessError('Invalid share code.');
    const out: Record<string, unknown> = {};
    if (!share.confirmed) out.pending = true;
    if (share.guestNetworkId) {
      const guest = await this.networks.findById(share.guestNetworkId);
      if (guest) out.associated_network_name = guest.name;
    }
    return out;
  }

  async confirmShare(p: NetworkPrincipal, code: string, associatedNetworkName: string, meta: RequestMeta): Promise<{ associated_network_name: string }> {
    return this.dataSource.transaction(async (m) => {
      const share = await m.findOne(DeviceShareCode, { where: { codeHash: codeHash(code), ownerNetworkId: p.networkId }, lock: { mode: 'pessimistic_write' } });
      if (!share || share.confirmed || !share.guestNetworkId) throw invalidCode();
      const guest = await this.networks.findById(share.guestNetworkId, m);
      if (!guest || guest.nameKey !== associatedNetworkName.trim().toLowerCase()) throw invalidCode();
      await m.update(DeviceShareCode, { id: share.id }, { confirmed: true });
      await this.activities.record({ userId: p.userId, topic: 'device', action: 'confirm share', result: 'succeed', meta, data: { face: 'network', network_id: p.networkId, guest_network_id: guest.id, client_id: share.clientId } }, m);
      return { associated_network_name: guest.name };
    });
  }

  async createAdoptCode(deviceName: string, deviceSpec: string): Promise<Record<string, unknown>> {
    const code = newDeviceCode();
    const secret = randomHex(128);
    await this.dataSource.manager.insert(DeviceAdoptCode, {
      codeHash: codeHash(code),
      codeSealed: this.sealer.seal(code, SEAL),
      secretHash: secretHash(secret),
      deviceName: deviceName.slice(0, 256),
      deviceSpec: deviceSpec.slice(0, 1024),
      ownerNetworkId: null,
      confirmed: false,
      expiresAt: new Date(Date.now() + ADOPT_MINUTES * 60_000),
    });
    return { adopt_code: code, adopt_secret: secret, share_code: secret, duration_minutes: ADOPT_MINUTES };
  }

  /** The adopt code, when the secret is its own. */
  private async adoptWithSecret(m: EntityManager, code: string, secret: string, lock = false): Promise<DeviceAdoptCode | undefined> {
    const adopt = await m.findOne(DeviceAdoptCode, { where: { codeHash: codeHash(code) }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!adopt || !safeEqual(adopt.secretHash, secretHash(secret))) return undefined;
    return adopt;
  }

  async adoptStatus(code: string, secret: string): Promise<Record<string, unknown>> {
    const adopt = await this.adoptWithSecret(this.dataSource.manager, code, secret);
    if (!adopt) throw businessError('Invalid adopt code.');
    const out: Record<string, unknown> = {};
    if (!adopt.confirmed) out.pending = true;
    if (adopt.ownerNetworkId) {
      const owner = await this.networks.findById(adopt.ownerNetworkId);
      if (owner) out.associated_network_name = owner.name;
    }
    return out;
  }

  /** The device confirms the network that added its code and receives a client JWT of that network. */
  async confirmAdopt(code: string, secret: string, associatedNetworkName: string, meta: RequestMeta): Promise<{ by_client_jwt: string }> {
    const result = await this.dataSource.transaction(async (m) => {
      const adopt = await this.adoptWithSecret(m, code, secret, true);
      if (!adopt || adopt.confirmed || !adopt.ownerNetworkId || adopt.expiresAt.getTime() < Date.now()) throw invalidCode();
      const network = await this.networks.findById(adopt.ownerNetworkId, m);
      if (!network || network.nameKey !== associatedNetworkName.trim().toLowerCase()) throw invalidCode();
      const owner = await this.users.findById(network.ownerUserId, m);
      if (!owner || LOCKED_OUT.has(owner.state)) throw invalidCode();
      const created = await this.clients.insertClient(m, { networkId: network.id, description: adopt.deviceName, deviceSpec: adopt.deviceSpec, countryCode: null });
      if (!created) throw businessError('Client limit exceeded.', { client_limit_exceeded: true });
      await m.update(DeviceAdoptCode, { id: adopt.id }, { confirmed: true });
      const subject = await this.tokens.openSession(m, { networkId: network.id, networkName: network.name, userId: owner.id, via: 'adopt' });
      await this.activities.record({ userId: owner.id, topic: 'device', action: 'adopt device', result: 'succeed', meta, data: { face: 'network', network_id: network.id, client_id: created.clientId } }, m);
      return { subject, created };
    });
    this.clients.changed(result.subject.networkId);
    return { by_client_jwt: await this.tokens.clientJwt(result.subject, result.created) };
  }

  async removeAdoptCode(code: string, secret: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const adopt = await this.adoptWithSecret(m, code, secret, true);
      if (!adopt || adopt.confirmed) throw invalidCode();
      await m.delete(DeviceAdoptCode, { id: adopt.id });
    });
  }

  /** Adds a code to the caller network: claims an adopt code, or becomes the guest of a share code. */
  async add(p: NetworkPrincipal, code: string, meta: RequestMeta): Promise<Record<string, unknown>> {
    if ((await this.counters.hit(`network:device-add:${p.networkId}`, ADD_WINDOW_SECONDS)) > ADD_LIMIT) throw invalidCode();
    const hash = codeHash(code);
    return this.dataSource.transaction(async (m) => {
      const adopt = await m.findOne(DeviceAdoptCode, { where: { codeHash: hash }, lock: { mode: 'pessimistic_write' } });
      if (adopt) {
        if (adopt.ownerNetworkId || adopt.confirmed || adopt.expiresAt.getTime() < Date.now()) throw invalidCode();
        await m.update(DeviceAdoptCode, { id: adopt.id }, { ownerNetworkId: p.networkId });
        await this.activities.record({ userId: p.userId, topic: 'device', action: 'add adopt code', result: 'succeed', meta, data: { face: 'network', network_id: p.networkId } }, m);
        return { code_type: 'adopt', code: this.open(adopt.codeSealed), device_name: adopt.deviceName, duration_minutes: minutesLeft(adopt.expiresAt), client_id: ZERO_ID };
      }
      const share = await m.findOne(DeviceShareCode, { where: { codeHash: hash }, lock: { mode: 'pessimistic_write' } });
      if (!share || share.guestNetworkId || share.ownerNetworkId === p.networkId) throw invalidCode();
      const owner = await this.networks.findById(share.ownerNetworkId, m);
      await m.update(DeviceShareCode, { id: share.id }, { guestNetworkId: p.networkId });
      await this.activities.record({ userId: p.userId, topic: 'device', action: 'add share code', result: 'succeed', meta, data: { face: 'network', network_id: p.networkId, owner_network_id: share.ownerNetworkId } }, m);
      return { code_type: 'share', code: this.open(share.codeSealed), device_name: share.deviceName, client_id: share.clientId, associated_network_name: owner?.name ?? '' };
    });
  }

  async associations(p: NetworkPrincipal): Promise<Record<string, unknown>> {
    const m = this.dataSource.manager;
    const [adopts, incoming, outgoing] = await Promise.all([
      m.find(DeviceAdoptCode, { where: { ownerNetworkId: p.networkId, confirmed: false }, order: { createdAt: 'ASC' } }),
      m.find(DeviceShareCode, { where: { guestNetworkId: p.networkId }, order: { createdAt: 'ASC' } }),
      m.find(DeviceShareCode, { where: { ownerNetworkId: p.networkId }, order: { createdAt: 'ASC' } }),
    ]);
    const ids = [...adopts, ...incoming, ...outgoing].map((a) => a.id);
    const names = new Map((ids.length ? await m.find(DeviceAssociationName, { where: { networkId: p.networkId, associationId: In(ids) } }) : []).map((n) => [n.associationId, n.deviceName]));
    const networkIds = [...new Set([...incoming.map((s) => s.ownerNetworkId), ...outgoing.map((s) => s.guestNetworkId).filter((x): x is string => !!x)])];
    const networkNames = new Map((await this.networks.findByIds(networkIds)).map((n) => [n.id, n.name]));
    const shared = (s: DeviceShareCode, other: string | null) => ({
      pending: !s.confirmed,
      code: this.open(s.codeSealed),
      device_name: names.get(s.id) ?? s.deviceName,
      client_id: s.clientId,
      ...(other && networkNames.has(other) ? { network_name: networkNames.get(other) } : {}),
    });
    return {
      pending_adoption_devices: adopts
        .filter((a) => a.expiresAt.getTime() > Date.now())
        .map((a) => ({ code: this.open(a.codeSealed), device_name: names.get(a.id) ?? a.deviceName, duration_minutes: minutesLeft(a.expiresAt), pending: true })),
      incoming_shared_devices: incoming.map((s) => shared(s, s.ownerNetworkId)),
      outgoing_shared_devices: outgoing.map((s) => shared(s, s.guestNetworkId)),
    };
  }

  /** The association a code names, when the caller is a party to it. */
  private async association(m: EntityManager, p: NetworkPrincipal, code: string): Promise<{ kind: 'adopt'; row: DeviceAdoptCode } | { kind: 'share'; row: DeviceShareCode } | undefined> {
    const hash = codeHash(code);
    const adopt = await m.findOne(DeviceAdoptCode, { where: { codeHash: hash } });
    if (adopt) return adopt.ownerNetworkId === p.networkId ? { kind: 'adopt', row: adopt } : undefined;
    const share = await m.findOne(DeviceShareCode, { where: { codeHash: hash } });
    if (share && (share.ownerNetworkId === p.networkId || share.guestNetworkId === p.networkId)) return { kind: 'share', row: share };
    return undefined;
  }

  async removeAssociation(p: NetworkPrincipal, code: string, meta: RequestMeta): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const found = await this.association(m, p, code);
      if (!found) throw invalidCode();
      await m.delete(found.kind === 'adopt' ? DeviceAdoptCode : DeviceShareCode, { id: found.row.id });
      await m.delete(DeviceAssociationName, { associationId: found.row.id });
      await this.activities.record({ userId: p.userId, topic: 'device', action: 'remove association', result: 'succeed', meta, data: { face: 'network', network_id: p.networkId, kind: found.kind } }, m);
    });
  }

  async setAssociationName(p: NetworkPrincipal, code: string, deviceName: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const found = await this.association(m, p, code);
      if (!found) throw invalidCode();
      await m.upsert(DeviceAssociationName, { associationId: found.row.id, networkId: p.networkId, deviceName: deviceName.slice(0, 256) }, ['associationId', 'networkId']);
    });
  }
}
