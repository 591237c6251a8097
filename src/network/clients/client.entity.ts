import { Column, CreateDateColumn, Entity, Index } from 'typeorm';
import { IdEntity } from '../../core/database/base.entity.js';

/** A device of a network: what its clients run on. */
@Entity('network_devices')
export class NetworkDevice extends IdEntity {
  @Index('idx_network_devices_network')
  @Column({ type: 'uuid' })
  networkId: string;

  @Column({ type: 'varchar', length: 256, default: '' })
  name: string;

  @Column({ type: 'varchar', length: 1024, default: '' })
  spec: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A client: one JWT-holding endpoint on a device (a VPN app instance, a provider). */
@Entity('network_clients')
@Index('idx_network_clients_network_active', ['networkId', 'active'])
@Index('idx_network_clients_provide', ['provideMode'], { where: 'active AND provide_mode = 3' })
export class NetworkClient extends IdEntity {
  @Column({ type: 'uuid' })
  networkId: string;

  @Index('idx_network_clients_device')
  @Column({ type: 'uuid' })
  deviceId: string;

  /** The client this one was derived from (auth-client called with a client JWT). */
  @Column({ type: 'uuid', nullable: true })
  sourceClientId: string | null;

  @Column({ type: 'varchar', length: 256, default: '' })
  description: string;

  @Column({ type: 'varchar', length: 1024, default: '' })
  deviceSpec: string;

  /** -1 default, 0 none, 1 network, 2 friends and family, 3 public. */
  @Column({ type: 'smallint', default: -1 })
  provideMode: number;

  /** Where the client was when it last authenticated (ISO 3166-1 alpha-2, lower-case), if known. */
  @Column({ type: 'varchar', length: 2, nullable: true })
  countryCode: string | null;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  authTime: Date;
}

/** The number of active clients of a network, so the limit holds under concurrent auth-client calls. */
@Entity('network_client_slots')
export class NetworkClientSlots {
  @Column({ type: 'uuid', primary: true })
  networkId: string;

  @Column({ type: 'int', default: 0 })
  activeClients: number;
}
