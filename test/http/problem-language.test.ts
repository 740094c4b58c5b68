import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/errors.js';
import { prefersChinese } from '../../src/http/problem.js';
import zhTitles from '../../src/shared/problem-titles.zh-CN.json' with { type: 'json' };
import { localeIsChinese } from '../../src/shared/problem-titles.js';
import { reportError } from '../../src/cli/report-error.js';
import { AppError } from '../../src/errors.js';
import { describeEachDialect, type TestDb } from '../dialects.js';
import { bearer, buildTestApp, type TestApp } from '../test-app.js';

describe('Accept-Language of problems', () => {
  it('prefers Chinese when the highest-weighted language is zh or zh-…', () => {
    expect(prefersChinese('zh-CN,zh;q=0.9,en;q=0.8')).toBe(true);
    expect(prefersChinese('zh')).toBe(true);
    expect(prefersChinese('en;q=0.5, zh-TW;q=0.6')).toBe(true);
    expect(prefersChinese('en-US,en;q=0.9,zh-CN;q=0.8')).toBe(false);
    expect(prefersChinese('zh;q=0, en')).toBe(false);
    expect(prefersChinese('zhx')).toBe(false);
    expect(prefersChinese('*')).toBe(false);
    expect(prefersChinese(undefined)).toBe(false);
    expect(prefersChinese('')).toBe(false);
  });

  it('the CLI prints the Chinese title under a Chinese locale (LC_ALL, LC_MESSAGES, then LANG)', () => {
    expect(localeIsChinese({ LANG: 'zh_CN.UTF-8' })).toBe(true);
    expect(localeIsChinese({ LANG: 'zh' })).toBe(true);
    expect(localeIsChinese({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' })).toBe(false);
    expect(localeIsChinese({ LC_MESSAGES: 'zh_TW.UTF-8', LANG: 'C' })).toBe(true);
    expect(localeIsChinese({ LANG: 'zhx' })).toBe(false);
    expect(localeIsChinese({})).toBe(false);
    const print = (lang: string | undefined) => {
      const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL, LC_MESSAGES: process.env.LC_MESSAGES };
      delete process.env.LC_ALL;
      delete process.env.LC_MESSAGES;
      if (lang === undefined) delete process.env.LANG;
      else process.env.LANG = lang;
      try {
        let out = '';
        reportError(new AppError('NOT_FOUND', "Resource 'x' does not exist"), (s) => (out += s));
        return out;
      } finally {
        for (const [k, v] of Object.entries(saved))
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
      }
    };
    expect(print('zh_CN.UTF-8')).toBe(`error [NOT_FOUND]: ${(zhTitles as Record<string, string>).NOT_FOUND}: Resource 'x' does not exist\n`);
    expect(print('en_US.UTF-8')).toBe("error [NOT_FOUND]: Resource 'x' does not exist\n");
    expect(print(undefined)).toBe("error [NOT_FOUND]: Resource 'x' does not exist\n");
  });

  it('every error code has a Chinese title, the same words the web UI shows', () => {
    const titles = zhTitles as Record<string, string>;
    const web = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../web/src/i18n/zh-CN.json'), 'utf8')) as Record<string, string>;
    for (const code of Object.keys(ERROR_CODES)) {
      expect(titles[code], code).toMatch(/\p{Script=Han}/u);
      expect(titles[code], code).toBe(web[`errors.${code}`]);
    }
    expect(Object.keys(titles).sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });
});

describeEachDialect('problem titles in the caller language', (fresh) => {
  let db: TestDb;
  let t: TestApp;
  beforeAll(async () => {
    db = await fresh();
    t = await buildTestApp(db);
  });
  afterAll(async () => {
    await t.app.close();
    await db.drop();
  });

  it('answers the Chinese title when Accept-Language asks for it, English otherwise; the code and detail stay', async () => {
    const url = '/api/v1/resources/no-such-resource';
    const zh = await t.app.inject({ method: 'GET', url, headers: { ...bearer(t.adminToken), 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    const en = await t.app.inject({ method: 'GET', url, headers: { ...bearer(t.adminToken), 'accept-language': 'en-US,en;q=0.9' } });
    const none = await t.app.inject({ method: 'GET', url, headers: bearer(t.adminToken) });
    expect(zh.statusCode).toBe(404);
    expect(zh.json()).toMatchObject({ code: 'NOT_FOUND', title: (zhTitles as Record<string, string>).NOT_FOUND, detail: en.json().detail });
    expect(en.json()).toMatchObject({ code: 'NOT_FOUND', title: ERROR_CODES.NOT_FOUND.title });
    expect(none.json().title).toBe(ERROR_CODES.NOT_FOUND.title);
    expect(zh.headers.vary).toContain('Accept-Language');
    // The framework's own errors too: an unknown route, a bad token.
    const route = await t.app.inject({ method: 'GET', url: '/api/v1/no-such-route', headers: { 'accept-language': 'zh' } });
    expect(route.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', title: (zhTitles as Record<string, string>).ROUTE_NOT_FOUND });
    const token = await t.app.inject({ method: 'GET', url: '/api/v1/resources', headers: { authorization: 'Bearer nope', 'accept-language': 'zh' } });
    expect(token.json()).toMatchObject({ code: 'INVALID_TOKEN', title: (zhTitles as Record<string, string>).INVALID_TOKEN });
  });
});
