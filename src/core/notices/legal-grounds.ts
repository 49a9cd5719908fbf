/**
 * The legal grounds a notice can cite, and the EU provisions every Art. 16 notice rests on. Facts from
 * shared/reference/reporting.md (not legal advice); an operator words the explanation in the templates.
 */

/** Storage keys: never rename. */
export type LegalGroundId = 'nl_sr_139h' | 'nl_sr_285d' | 'nl_sr_252';

export interface LegalGround {
  id: LegalGroundId;
  /** The provision, as cited: "Art. 139h Sr". */
  article: string;
  /** Its name in Dutch and English. */
  title: { nl: string; en: string };
}

export const LEGAL_GROUNDS: Record<LegalGroundId, LegalGround> = {
  nl_sr_139h: {
    id: 'nl_sr_139h', article: 'Art. 139h Wetboek van Strafrecht (Sr)',
    title: { nl: 'misbruik van seksueel beeldmateriaal', en: 'misuse of sexual images (publication without consent)' },
  },
  nl_sr_285d: {
    id: 'nl_sr_285d', article: 'Art. 285d Wetboek van Strafrecht (Sr)',
    title: { nl: 'gebruik van persoonsgegevens voor intimiderende doeleinden (doxing)', en: 'use of personal data for intimidation (doxing)' },
  },
  nl_sr_252: {
    id: 'nl_sr_252', article: 'Art. 252 Wetboek van Strafrecht (Sr), formerly Art. 240b Sr',
    title: { nl: 'seksueel beeldmateriaal van minderjarigen', en: 'child sexual abuse material' },
  },
};

/** The EU provision every notice is made under, and the Directive whose offences allow an anonymous notice. */
export const DSA_ARTICLE_16 = 'Regulation (EU) 2022/2065 (Digital Services Act), Article 16';
export const CSAM_DIRECTIVE = 'Directive 2011/93/EU, Articles 3 to 7';

/** The kinds of item a notice is about; each has one legal ground. */
export type NoticeItemKind = 'intimate_image' | 'csam' | 'phone' | 'handle';

export const GROUND_OF_KIND: Record<NoticeItemKind, LegalGroundId> = {
  intimate_image: 'nl_sr_139h', csam: 'nl_sr_252', phone: 'nl_sr_285d', handle: 'nl_sr_285d',
};
