import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

describe('configuration', () => {
  it('when nothing is set, then defaults give a local site on port 3000 with an embedded database', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      DATA_DIR: '.data',
      TRUST_PROXY: 'loopback',
      STATEMENT_TIMEOUT_MS: 5000,
    });
    expect(config.SEED_ON_START).toBeUndefined();
    expect(config.DATABASE_URL).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
    expect(config.PUBLIC_BASE_URL).toBe('http://localhost:3000');
  });

  it('when only the port changes, then the public address follows it', () => {
    expect(loadConfig({ PORT: '3400' }).PUBLIC_BASE_URL).toBe('http://localhost:3400');
    expect(loadConfig({ PORT: '3400', PUBLIC_BASE_URL: 'https://epn.example.fr' }).PUBLIC_BASE_URL).toBe(
      'https://epn.example.fr',
    );
  });

  it('when a value is wrong, then start-up stops with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'not a url' })).toThrow(/DATABASE_URL/);
  });
});

describe('DATABASE_READ_URL', () => {
  it('when set with DATABASE_URL, then the replica is kept; without DATABASE_URL, start-up stops naming it', () => {
    const replica = 'postgres://lecture@replique:5432/epn';
    expect(loadConfig({ DATABASE_URL: 'postgres://app@primaire:5432/epn', DATABASE_READ_URL: replica })).toMatchObject({
      DATABASE_READ_URL: replica,
    });
    expect(loadConfig({}).DATABASE_READ_URL).toBeUndefined();
    expect(() => loadConfig({ DATABASE_READ_URL: replica })).toThrow(/DATABASE_READ_URL: suppose DATABASE_URL/);
  });
});

describe('TRUST_PROXY', () => {
  it('when it is true, false, a number of hops or a list of addresses, then Express gets the matching setting', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toBe('loopback, 10.0.0.0/8');
  });

  it('when it is not understandable, then start-up stops naming it', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'yes please!' })).toThrow(/TRUST_PROXY/);
  });
});
