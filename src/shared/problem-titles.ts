import zhTitles from './problem-titles.zh-CN.json' with { type: 'json' };

const ZH_TITLES: Readonly<Record<string, string>> = zhTitles;

/** The Chinese title of a problem code (the words the web UI shows for it), or null for a code without one. */
export function chineseTitle(code: string): string | null {
  return ZH_TITLES[code] ?? null;
}

/** Whether a POSIX locale (LC_ALL, LC_MESSAGES or LANG, the first one set) is Chinese: zh, zh_CN.UTF-8, … */
export function localeIsChinese(env: NodeJS.ProcessEnv = process.env): boolean {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh([_.@-]|$)/i.test(locale);
}
