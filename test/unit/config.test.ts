// Configuration: defaults, and a bad value stops start-up naming the variable.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settings } from '../../server/config.js';

describe('config', () => {
  it('runs on defaults alone: embedded database in ./data, API on 127.0.0.1:8080', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080 });
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.defaults).toEqual({ timezone: 'UTC', country: 'US' });
  });

  it.each([
    ['CALLPLANE_HTTP_PORT', 'eighty'],
    ['CALLPLANE_HTTP_PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['CALLPLANE_SECRET_KEY', 'too-short'],
    ['CALLPLANE_ADMIN_EMAIL', 'not-an-email'],
    ['CALLPLANE_ADMIN_PASSWORD', 'short'],
    ['CALLPLANE_REALM_DOMAIN', 'Not A Domain'],
    ['CALLPLANE_DEFAULT_COUNTRY', 'usa'],
    ['CALLPLANE_DEFAULT_TIMEZONE', 'Mars/Olympus'],
    ['CALLPLANE_LOG_LEVEL', 'loud'],
    ['CALLPLANE_ACCESS_TOKEN_TTL', '-5'],
    ['CALLPLANE_SIP_NONCE_TTL', '601'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });

  it('documents every setting in the README configuration table', () => {
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(settings)) expect(readme, name).toContain(`| \`${name}\``);
  });
});
