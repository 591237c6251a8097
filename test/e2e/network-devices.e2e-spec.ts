import QRCode from 'qrcode';
import { PNG } from 'pngjs';
import { addClient, createNetwork, nget, npost, UUID } from '../support/network.js';
import { createTestApp, TestApp } from '../support/test-app.js';

const ZERO = '00000000-0000-0000-0000-000000000000';

/** The QR modules a PNG shows, read back from its pixels, compared with the QR code of `url`. */
function pngEncodes(png: Buffer, url: string): boolean {
  const image = PNG.sync.read(png);
  if (image.width !== 256 || image.height !== 256) return false;
  const qr = QRCode.create(url, { errorCorrectionLevel: 'M' });
  const size = qr.modules.size;
  const margin = 2;
  const scale = 256 / (size + 2 * margin);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const x = Math.floor((c + margin + 0.5) * scale);
      const y = Math.floor((r + margin + 0.5) * scale);
      const i = (y * image.width + x) * 4;
      const dark = image.data[i]! < 128;
      if (dark !== Boolean(qr.modules.get(r, c))) return false;
    }
  }
  return true;
}

describe('network face: devices', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('adopt flow: an unauthenticated device is adopted with its QR code and gets a client JWT of the adopter', async () => {
    const n = await createNetwork(t);
    const device = t.agent();
    const code = await npost(device, '/device/create-adopt-code', { device_name: 'living room tv', device_spec: 'android tv' });
    expect(code.body).toEqual({ adopt_code: expect.stringMatching(/^[a-z]+( [a-z]+){5}$/), adopt_secret: expect.any(String), share_code: code.body.adopt_secret, duration_minutes: 15 });
    expect(code.body.adopt_secret.length).toBeGreaterThanOrEqual(16);
    const stored = JSON.stringify(await t.dataSource.query('SELECT * FROM network_device_adopt_codes'));
    expect(stored).not.toContain(code.body.adopt_secret);
    expect(stored).not.toContain(code.body.adopt_code);

    const qr = await device.get(`/device/adopt-code/${encodeURIComponent(code.body.adopt_code)}/qr.png`);
    expect(qr.status).toBe(200);
    expect(qr.headers['content-type']).toBe('image/png');
    const png = Buffer.from(await (await fetch(`${t.baseUrl}/device/adopt-code/${encodeURIComponent(code.body.adopt_code)}/qr.png`)).arrayBuffer());
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(pngEncodes(png, `https://app.bringyour.com/?add=${code.body.adopt_code.replace(/ /g, '+')}`)).toBe(true);
    expect((await device.get('/device/adopt-code/no%20such%20code/qr.png')).status).toBe(404);

    const secret = { adopt_code: code.body.adopt_code, adopt_secret: code.body.adopt_secret };
    expect((await npost(device, '/device/adopt-status', secret)).body).toEqual({ pending: true });
    expect((await npost(device, '/device/adopt-status', { ...secret, adopt_secret: 'x'.repeat(256) })).body).toEqual({ error: { message: 'Invalid adopt code.' } });

    const added = await npost(n.agent, '/device/add', { code: code.body.adopt_code.toUpperCase() }, n.jwt);
    expect(added.body).toEqual({ code_type: 'adopt', code: code.body.adopt_code, device_name: 'living room tv', duration_minutes: expect.any(Number), client_id: ZERO });
    expect((await nget(n.agent, '/device/associations', n.jwt)).body.pending_adoption_devices).toEqual([
      { code: code.body.adopt_code, device_name: 'living room tv', duration_minutes: expect.any(Number), pending: true },
    ]);
    expect((await npost(device, '/device/adopt-status', secret)).body).toEqual({ pending: true, associated_network_name: n.name });
    // Only the device (with the secret) confirms, and only for the adopting network.
    expect((await npost(device, '/device/confirm-adopt', { ...secret, associated_network_name: 'someothernetwork' })).body).toEqual({ error: { message: 'Invalid code.' } });
    const confirmed = await npost(device, '/device/confirm-adopt', { ...secret, associated_network_name: n.name });
    const claims = JSON.parse(Buffer.from(confirmed.body.by_client_jwt.split('.')[1], 'base64url').toString());
    expect(claims).toEqual(expect.objectContaining({ network_id: n.networkId, network_name: n.name, client_id: expect.stringMatching(UUID), device_id: expect.stringMatching(UUID) }));
    const clients = (await nget(n.agent, '/network/clients', confirmed.body.by_client_jwt)).body.clients;
    expect(clients.map((c: any) => c.device_name)).toEqual(['living room tv']);
    expect((await npost(device, '/device/confirm-adopt', { ...secret, associated_network_name: n.name })).body.error.message).toBe('Invalid code.');
    expect((await npost(device, '/device/remove-adopt-code', secret)).body.error.message).toBe('Invalid code.');
  });

  it('remove-adopt-code needs the secret; an adopt code is added once', async () => {
    const a = await createNetwork(t);
    const b = await createNetwork(t);
    const code = (await npost(t.agent(), '/device/create-adopt-code', { device_name: 'x' })).body;
    expect((await npost(a.agent, '/device/add', { code: code.adopt_code }, a.jwt)).body.code_type).toBe('adopt');
    expect((await npost(b.agent, '/device/add', { code: code.adopt_code }, b.jwt)).body).toEqual({ error: { message: 'Invalid code.' } });
    expect((await npost(t.agent(), '/device/remove-adopt-code', { adopt_code: code.adopt_code, adopt_secret: 'wrong' })).body.error.message).toBe('Invalid code.');
    expect((await npost(t.agent(), '/device/remove-adopt-code', { adopt_code: code.adopt_code, adopt_secret: code.adopt_secret })).body).toEqual({});
    expect((await nget(a.agent, '/device/associations', a.jwt)).body.pending_adoption_devices).toEqual([]);
  });

  it('share flow: the owner shares a client, the guest adds it, only the owner confirms', async () => {
    const owner = await createNetwork(t);
    const guest = await createNetwork(t);
    const client = await addClient(owner.agent, owner.jwt, 'laptop');
    expect((await npost(guest.agent, '/device/create-share-code', { client_id: client.clientId }, guest.jwt)).body).toEqual({ error: { message: 'Invalid client.' } });
    const share = await npost(owner.agent, '/device/create-share-code', { client_id: client.clientId }, owner.jwt);
    const code = share.body.share_code as string;
    expect(code).toMatch(/^[a-z]+( [a-z]+){5}$/);

    const qr = await fetch(`${t.baseUrl}/device/share-code/${encodeURIComponent(code)}/qr.png`, { headers: { authorization: `Bearer ${owner.jwt}` } });
    expect(qr.status).toBe(200);
    expect(pngEncodes(Buffer.from(await qr.arrayBuffer()), `https://app.bringyour.com/?add=${code.replace(/ /g, '+')}`)).toBe(true);
    expect((await fetch(`${t.baseUrl}/device/share-code/${encodeURIComponent(code)}/qr.png`)).status).toBe(401);
    expect((await fetch(`${t.baseUrl}/device/share-code/${encodeURIComponent(code)}/qr.png`, { headers: { authorization: `Bearer ${guest.jwt}` } })).status).toBe(404);

    expect((await npost(owner.agent, '/device/share-status', { share_code: code }, owner.jwt)).body).toEqual({ pending: true });
    expect((await npost(guest.agent, '/device/share-status', { share_code: code }, guest.jwt)).body).toEqual({ error: { message: 'Invalid share code.' } });
    expect((await npost(owner.agent, '/device/add', { code }, owner.jwt)).body).toEqual({ error: { message: 'Invalid code.' } });
    const added = await npost(guest.agent, '/device/add', { code }, guest.jwt);
    expect(added.body).toEqual({ code_type: 'share', code, device_name: 'laptop', client_id: client.clientId, associated_network_name: owner.name });
    expect((await npost(owner.agent, '/device/share-status', { share_code: code }, owner.jwt)).body).toEqual({ pending: true, associated_network_name: guest.name });
    // The guest cannot confirm for the owner.
    expect((await npost(guest.agent, '/device/confirm-share', { share_code: code, associated_network_name: guest.name }, guest.jwt)).body.error.message).toBe('Invalid code.');
    expect((await npost(owner.agent, '/device/confirm-share', { share_code: code, associated_network_name: 'wrongnetworkname' }, owner.jwt)).body.error.message).toBe('Invalid code.');
    expect((await npost(owner.agent, '/device/confirm-share', { share_code: code, associated_network_name: guest.name }, owner.jwt)).body).toEqual({ associated_network_name: guest.name });
    expect((await npost(owner.agent, '/device/share-status', { share_code: code }, owner.jwt)).body).toEqual({ associated_network_name: guest.name });

    const out = await nget(owner.agent, '/device/associations', owner.jwt);
    expect(out.body.outgoing_shared_devices).toEqual([{ pending: false, code, device_name: 'laptop', client_id: client.clientId, network_name: guest.name }]);
    const inc = await nget(guest.agent, '/device/associations', guest.jwt);
    expect(inc.body).toEqual({ pending_adoption_devices: [], incoming_shared_devices: [{ pending: false, code, device_name: 'laptop', client_id: client.clientId, network_name: owner.name }], outgoing_shared_devices: [] });

    // Per-network names.
    expect((await npost(guest.agent, '/device/set-association-name', { code, device_name: 'friend laptop' }, guest.jwt)).body).toEqual({});
    expect((await nget(guest.agent, '/device/associations', guest.jwt)).body.incoming_shared_devices[0].device_name).toBe('friend laptop');
    expect((await nget(owner.agent, '/device/associations', owner.jwt)).body.outgoing_shared_devices[0].device_name).toBe('laptop');
    const stranger = await createNetwork(t);
    expect((await npost(stranger.agent, '/device/set-association-name', { code, device_name: 'mine' }, stranger.jwt)).body.error.message).toBe('Invalid code.');
    expect((await npost(stranger.agent, '/device/remove-association', { code }, stranger.jwt)).body.error.message).toBe('Invalid code.');
    expect((await npost(guest.agent, '/device/remove-association', { code }, guest.jwt)).body).toEqual({});
    expect((await nget(owner.agent, '/device/associations', owner.jwt)).body.outgoing_shared_devices).toEqual([]);
  });

  it('set-name and set-provide only for the caller network; bad input is 400', async () => {
    const n = await createNetwork(t);
    const other = await createNetwork(t);
    const c = await addClient(n.agent, n.jwt, 'box');
    expect((await npost(n.agent, '/device/set-name', { device_id: c.deviceId, device_name: 'new box' }, n.jwt)).body).toEqual({});
    expect((await nget(n.agent, '/network/clients', n.jwt)).body.clients[0].device_name).toBe('new box');
    expect((await npost(other.agent, '/device/set-name', { device_id: c.deviceId, device_name: 'stolen' }, other.jwt)).body).toEqual({ error: { message: 'Device does not exist.' } });
    expect((await npost(n.agent, '/device/set-name', { device_id: 'nope', device_name: 'x' }, n.jwt)).status).toBe(400);

    expect((await npost(n.agent, '/device/set-provide', { client_id: c.clientId, provide_mode: 3 }, n.jwt)).body).toEqual({ provide_mode: 3 });
    expect((await nget(n.agent, '/network/clients', n.jwt)).body.clients[0].provide_mode).toBe(3);
    expect((await npost(n.agent, '/device/set-provide', { client_id: c.clientId, provide_mode: 1 }, n.jwt)).body).toEqual({ provide_mode: 1 });
    expect((await nget(n.agent, '/network/clients', n.jwt)).body.clients[0].provide_mode).toBeNull();
    expect((await npost(other.agent, '/device/set-provide', { client_id: c.clientId, provide_mode: 3 }, other.jwt)).body.error.message).toBe('Client does not exist.');
    expect((await npost(n.agent, '/device/set-provide', { client_id: c.clientId, provide_mode: 7 }, n.jwt)).status).toBe(400);
    expect((await npost(n.agent, '/device/set-provide', { client_id: c.clientId, provide_mode: '3' }, n.jwt)).status).toBe(400);
  });

  it('device/add is limited to 10 calls per network per 30 minutes, bad codes included', async () => {
    const n = await createNetwork(t);
    for (let i = 0; i < 10; i++) expect((await npost(n.agent, '/device/add', { code: `bad code ${i}` }, n.jwt)).body.error.message).toBe('Invalid code.');
    const code = (await npost(t.agent(), '/device/create-adopt-code', { device_name: 'late' })).body.adopt_code;
    expect((await npost(n.agent, '/device/add', { code }, n.jwt)).body).toEqual({ error: { message: 'Invalid code.' } });
    expect((await npost(n.agent, '/device/add', { code: 5 }, n.jwt)).status).toBe(400);
  });
});
