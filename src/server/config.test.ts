import { describe, expect, it } from 'vitest';
import { loadServerConfig } from './config.js';

describe('server configuration', () => {
  it('uses defaults: loopback, port 8080, CORS off, HMA routes keyed', () => {
    const c = loadServerConfig({}, {});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, corsOrigins: [] });
    expect(c.hmaOpenListen).toBeUndefined();
  });

  it('takes flags over environment', () => {
    const c = loadServerConfig({ port: '9000' }, { UNEXPOSE_PORT: '7000', UNEXPOSE_HOST: '0.0.0.0', UNEXPOSE_CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(c.port).toBe(9000);
    expect(c.host).toBe('0.0.0.0');
    expect(c.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });

  it('names every bad value and where it came from', () => {
    expect(() => loadServerConfig({ port: 'eighty' }, { UNEXPOSE_HMA_OPEN_LISTEN: 'nowhere', DATABASE_URL: 'mysql://x' }))
      .toThrow(/--port: .*eighty[^]*DATABASE_URL: expected a postgres[^]*UNEXPOSE_HMA_OPEN_LISTEN: expected HOST:PORT/);
  });

  it('parses the open HMA listener', () => {
    expect(loadServerConfig({ hmaOpenListen: '10.0.0.5:5000' }, {}).hmaOpenListen).toEqual({ host: '10.0.0.5', port: 5000 });
  });
});
