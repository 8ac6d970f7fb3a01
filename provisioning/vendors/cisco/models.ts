// Cisco (and Linksys-branded) SPA ATAs and phones.
import type { ModelFacts } from '../../module-kit.js';

export interface CiscoModel extends ModelFacts {
  /** The SPA100 ATAs keep the web login in Web_Login_Admin_*; the SPA phones in Admin_Passwd. */
  adminPassword: 'Web_Login_Admin_Password' | 'Admin_Passwd';
}

export const CISCO_MODELS: Readonly<Record<string, CiscoModel>> = {
  SPA112: { kind: 'ata', lines: 2, adminPassword: 'Web_Login_Admin_Password', support: 3 },
  SPA122: { kind: 'ata', lines: 2, adminPassword: 'Web_Login_Admin_Password', support: 2 },
  SPA303: { kind: 'phone', lines: 3, functionKeys: 3, adminPassword: 'Admin_Passwd', support: 2 },
  SPA504G: { kind: 'phone', lines: 4, functionKeys: 4, adminPassword: 'Admin_Passwd', support: 2 },
  SPA508G: { kind: 'phone', lines: 8, functionKeys: 8, adminPassword: 'Admin_Passwd', support: 2 },
  SPA525G2: { kind: 'phone', lines: 5, functionKeys: 5, adminPassword: 'Admin_Passwd', support: 2 },
};

/** Language_Selection values on the SPA phones. */
export const CISCO_LANGUAGES: Readonly<Record<string, string>> = {
  en: 'English',
  de: 'German',
  fr: 'French',
  es: 'Spanish',
  it: 'Italian',
  nl: 'Dutch',
  pt: 'Portuguese',
};
