import type { Lang } from '../../i18n/i18n';

/** A theme's (or a master attribute's) name in the UI's language: the API sends both. */
export const nameIn = (lang: Lang, x: { name: string; nameEn?: string | null }) => (lang === 'en' && x.nameEn ? x.nameEn : x.name);
