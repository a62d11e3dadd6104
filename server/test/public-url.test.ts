// The address residents open is configuration (issue 12, 2): PUBLIC_URL when set, else the
// laptop's network address — never the localhost the officer's browser happens to use.
import { afterAll, describe, expect, it } from 'vitest';
import type { NetworkInterfaceInfo } from 'node:os';
import { loadConfig, publicUrlOf } from '../src/config.js';
import { startTestApp, type TestApp } from './helpers.js';

const apps: TestApp[] = [];
afterAll(async () => Promise.all(apps.map((a) => a.close())));

const nic = (address: string, internal = false): NetworkInterfaceInfo =>
  ({ address, family: 'IPv4', internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null }) as NetworkInterfaceInfo;

describe('PUBLIC_URL', () => {
  it('is read, checked and kept without a trailing slash', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://fk.example.org/' }).publicUrl).toBe('https://fk.example.org');
    expect(loadConfig({ PUBLIC_URL: 'https://fk.example.org/hexi/' }).publicUrl).toBe('https://fk.example.org/hexi');
    expect(loadConfig({}).publicUrl).toBeUndefined();
    expect(() => loadConfig({ PUBLIC_URL: 'fk.example.org' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://fk.example.org' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ PUBLIC_URL: 'https://fk.example.org/?a=1' })).toThrow(/PUBLIC_URL/);
  });

  it('unset, is derived from the network card a phone on the same network can reach', () => {
    const nics = { lo: [nic('127.0.0.1', true)], wlan0: [nic('192.168.1.23')] };
    expect(publicUrlOf({ publicUrl: undefined, host: '0.0.0.0', port: 3000 }, nics)).toEqual({ url: 'http://192.168.1.23:3000', configured: false });
    expect(publicUrlOf({ publicUrl: undefined, host: '10.0.0.5', port: 8080 }, nics)).toEqual({ url: 'http://10.0.0.5:8080', configured: false });
    expect(publicUrlOf({ publicUrl: undefined, host: '0.0.0.0', port: 3000 }, { lo: [nic('127.0.0.1', true)] }).url).toBe('http://localhost:3000');
    expect(publicUrlOf({ publicUrl: 'https://fk.example.org', host: '0.0.0.0', port: 3000 }, nics)).toEqual({ url: 'https://fk.example.org', configured: true });
  });

  it('is what /api/health tells the console, without a session', async () => {
    const set = await startTestApp({ publicUrl: 'https://fk.example.org' });
    apps.push(set);
    const a = (await set.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(a.publicUrl).toEqual({ url: 'https://fk.example.org', configured: true });
    const unset = await startTestApp();
    apps.push(unset);
    const b = (await unset.app.inject({ method: 'GET', url: '/api/health' })).json();
    expect(b.publicUrl).toEqual({ ...publicUrlOf(unset.ctx.config), configured: false });
  });
});
