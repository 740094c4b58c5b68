import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsoleApp } from './console/ConsoleApp';
import { I18nProvider } from './i18n/i18n';
import { PortalApp } from './portal/PortalApp';
import './styles.css';
import './open-sharing.css';
import './themes.css';

// One bundle, two apps: the console under /console/, the public portal everywhere else.
const isConsole = window.location.pathname.startsWith('/console');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>{isConsole ? <ConsoleApp /> : <PortalApp />}</I18nProvider>
  </StrictMode>,
);
