import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { addClient, createNetwork, GO_TIME, nget, npost, UUID } from '../support/network.js';
import { createTestApp, TestApp } from '../support/test-app.js';

describe('network face: clients', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('auth-client gives a client JWT with fresh client and device ids, listed by clients', async () => {
    const n = await createNetwork(t);
    const a = n.agent;
    const res = await npost(a, '/network/auth-client', { description: 'my phone', device_spec: 'ios 18', unknown_field: 1 }, n.jwt);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ by_client_jwt: expect.any(String), client_id: expect.stringMatching(UUID) });
    const jwks = createLocalJWKSet((await t.agent().get('/.well-known/jwks.json')).body as JSONWebKeySet);
    const { payload } = await jwtVerify(res.body.by_client_jwt, jwks);
    expect(payload).toEqual(
      expect.objectContaining({ network_id: n.networkId, network_name: n.name, user_id: expect.stringMatching(UUID), client_id: res.body.client_id, device_id: expect.stringMatching(UUID), create_time: expect.stringMatching(GO_TIME) }),
    );
    const list = await nget(a, '/network/clients', n.jwt);
    expect(list.body.clients).toEqual([
      {
        client_id: res.body.client_id,
        device_id: payload.device_id,
        network_id: n.networkId,
        description: 'my phone',
        device_name: 'my phone',
        device_spec: 'ios 18',
        create_time: expect.stringMatching(GO_TIME),
        auth_time: expect.stringMatching(GO_TIME),
        provide_mode: null,
        connections: [],
      },
    ]);
    // The client JWT works as a bearer too, and a client JWT creates a derived client on the same device.
    const derived = await npost(a, '/network/auth-client', { description: 'derived' }, res.body.by_client_jwt);
    const derivedClaims = JSON.parse(Buffer.from(derived.body.by_client_jwt.split('.')[1], 'base64url').toString());
    expect(derivedClaims.client_id).not.toBe(res.body.client_id);
    expect(derivedClaims.device_id).toBe(payload.device_id);
    expect((await nget(a, '/network/clients', res.body.by_client_jwt)).body.clients).toHaveLength(2);
  });

  it('re-authenticates an existing client with client_id; another network\'s client does not exist', async () => {
    const n = await createNetwork(t);
    const other = await createNetwork(t);
    const c = await addClient(n.agent, n.jwt, 'first');
    const again = await npost(n.agent, '/network/auth-client', { client_id: c.clientId, description: 'renamed' }, n.jwt);
    expect(again.body.client_id).toBe(c.clientId);
    expect((await nget(n.agent, '/network/clients', n.jwt)).body.clients[0].description).toBe('renamed');
    const foreign = await npost(other.agent, '/network/auth-client', { client_id: c.clientId }, other.jwt);
    expect(foreign.body).toEqual({ error: { client_limit_exceeded: false, message: 'Client does not exist.' } });
    expect((await npost(n.agent, '/network/auth-client', { client_id: 'not-a-uuid' }, n.jwt)).status).toBe(400);
    expect((await nget(other.agent, '/network/clients', other.jwt)).body.clients).toEqual([]);
  });

  it('remove-client: only the owner network, the JWT stops working, a removal makes room', async () => {
    const n = await createNetwork(t);
    const other = await createNetwork(t);
    const c = await addClient(n.agent, n.jwt);
    expect((await nget(n.agent, '/network/clients', c.jwt)).status).toBe(200);
    expect((await npost(other.agent, '/network/remove-client', { client_id: c.clientId }, other.jwt)).body).toEqual({ error: { client_limit_exceeded: false, message: 'Client does not exist.' } });
    expect((await npost(n.agent, '/network/remove-client', { client_id: c.clientId }, n.jwt)).body).toEqual({});
    expect((await nget(n.agent, '/network/clients', c.jwt)).status).toBe(401);
    expect((await nget(n.agent, '/network/clients', n.jwt)).body.clients).toEqual([]);
    expect((await npost(n.agent, '/network/remove-client', { client_id: c.clientId }, n.jwt)).body.error.message).toBe('Client does not exist.');
    expect((await npost(n.agent, '/network/remove-client', { client_id: 42 }, n.jwt)).status).toBe(400);
  });

  it('at most 128 clients per network, also under concurrent calls; a removal makes room', async () => {
    const n = await createNetwork(t);
    const results = await Promise.all(Array.from({ length: 132 }, (_, i) => npost(n.agent, '/network/auth-client', { description: `c${i}` }, n.jwt)));
    const ok = results.filter((r) => r.body.by_client_jwt);
    const refused = results.filter((r) => r.body.error);
    expect(ok).toHaveLength(128);
    expect(refused).toHaveLength(4);
    expect(refused[0]!.body).toEqual({ error: { client_limit_exceeded: true, message: 'Client limit exceeded.' } });
    expect((await nget(n.agent, '/network/clients', n.jwt)).body.clients).toHaveLength(128);
    await npost(n.agent, '/network/remove-client', { client_id: ok[0]!.body.client_id }, n.jwt);
    expect((await npost(n.agent, '/network/auth-client', { description: 'room' }, n.jwt)).body.by_client_jwt).toEqual(expect.any(String));
    expect((await npost(n.agent, '/network/auth-client', { description: 'full' }, n.jwt)).body.error.client_limit_exceeded).toBe(true);
  });

  it('auth/refresh gives a client JWT with the same client and device; an admin JWT gets the documented error', async () => {
    const n = await createNetwork(t);
    const c = await addClient(n.agent, n.jwt);
    const res = await nget(n.agent, '/auth/refresh', c.jwt);
    expect(res.status).toBe(200);
    const claims = JSON.parse(Buffer.from(res.body.by_jwt.split('.')[1], 'base64url').toString());
    expect(claims).toEqual(expect.objectContaining({ client_id: c.clientId, device_id: c.deviceId, network_id: n.networkId }));
    expect((await nget(n.agent, '/network/clients', res.body.by_jwt)).status).toBe(200);
    expect((await nget(n.agent, '/auth/refresh', n.jwt)).body).toEqual({ error: { message: 'Client ID is required for token refresh.' } });
    expect((await nget(n.agent, '/auth/refresh')).status).toBe(401);
  });
});
