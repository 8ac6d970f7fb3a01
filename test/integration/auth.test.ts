// Login, refresh rotation, logout and the error shape of auth failures, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, Http, type TestPlane, startTestPlane } from '../support/plane.js';

let plane: TestPlane;
beforeAll(async () => {
  plane = await startTestPlane();
});
afterAll(() => plane.stop());

describe('auth', () => {
  it('logs the operator created on first start in and tells who they are', async () => {
    const login = await plane.http.post('/auth/login', { email: ADMIN.email.toUpperCase(), password: ADMIN.password });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    const me = await new Http(plane.http.base, login.body.accessToken).get('/me');
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: ADMIN.email, role: 'operator' });
    expect(me.body.account.kind).toBe('operator');
    expect(JSON.stringify(me.body)).not.toContain('hash');
  });

  it('gives an unknown email the same 401 as a wrong password', async () => {
    const wrong = await plane.http.post('/auth/login', { email: ADMIN.email, password: 'not-the-password' });
    const unknown = await plane.http.post('/auth/login', { email: 'nobody@test.example', password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(unknown).toEqual(wrong);
  });

  it('answers a request without a token, or with a forged one, with 401', async () => {
    expect((await plane.http.get('/accounts')).status).toBe(401);
    const forged = new Http(plane.http.base, 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl');
    const reply = await forged.get('/accounts');
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe('unauthorized');
  });

  it('rotates refresh tokens: each works once, and a replayed one revokes the family', async () => {
    const first = (await plane.http.post('/auth/login', ADMIN)).body;
    const second = await plane.http.post('/auth/refresh', { refreshToken: first.refreshToken });
    expect(second.status).toBe(200);
    expect((await new Http(plane.http.base, second.body.accessToken).get('/me')).status).toBe(200);
    const replay = await plane.http.post('/auth/refresh', { refreshToken: first.refreshToken });
    expect(replay.status).toBe(401);
    // the replay revoked the token rotated from it too
    expect((await plane.http.post('/auth/refresh', { refreshToken: second.body.refreshToken })).status).toBe(401);
  });

  it('refuses an access token where a refresh token belongs', async () => {
    const pair = (await plane.http.post('/auth/login', ADMIN)).body;
    expect((await plane.http.post('/auth/refresh', { refreshToken: pair.accessToken })).status).toBe(401);
  });

  it('logs out: the refresh token stops working', async () => {
    const pair = (await plane.http.post('/auth/login', ADMIN)).body;
    expect((await plane.http.post('/auth/logout', { refreshToken: pair.refreshToken })).status).toBe(204);
    expect((await plane.http.post('/auth/refresh', { refreshToken: pair.refreshToken })).status).toBe(401);
  });

  it('answers malformed JSON and missing fields with 400 naming the field', async () => {
    const bad = await plane.http.request('post', '/auth/login', '{"email":');
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('body');
    const missing = await plane.http.post('/auth/login', { email: ADMIN.email });
    expect(missing.status).toBe(400);
    expect(missing.body.error.field).toBe('password');
  });

  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    const root = plane.url;
    expect((await (await fetch(`${root}/healthz`)).json())).toEqual({ status: 'ok' });
    expect((await (await fetch(`${root}/readyz`)).json())).toEqual({ status: 'ready' });
    const metrics = await (await fetch(`${root}/metrics`)).text();
    expect(metrics).toContain('callplane_http_requests_total');
    const doc = (await plane.http.get('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/accounts/{accountId}/subaccounts'].post.requestBody).toBeDefined();
    expect(doc.paths['/auth/login'].post.security).toEqual([]);
  });
});
