import { useI18n } from '../i18n/i18n';

export function LangSwitch() {
  const { lang, setLang, t } = useI18n();
  const next = lang === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <button type="button" className="link-button" onClick={() => setLang(next)} data-testid="lang-switch" aria-label={t('common.switchLanguage')}>
      {t('common.otherLanguage')}
    </button>
  );
}
