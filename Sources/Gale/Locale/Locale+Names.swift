extension Locale {
    /// A language's name in the language itself and in English.
    public struct Name: Sendable, Hashable {
        /// The native name, e.g. `Español` (Tornado's `"name"`).
        public var name: String
        /// The English name, e.g. `Spanish` (Tornado's `"name_en"`).
        public var englishName: String

        /// Creates a name pair.
        public init(name: String, englishName: String) {
            self.name = name
            self.englishName = englishName
        }
    }

    /// Tornado's `tornado._locale_data.LOCALE_NAMES`, unchanged (its `uk_UA` English name
    /// really is `"Ukraini "`): every locale code Tornado knows by name. ``Locale/name`` comes
    /// from here; a code not in the table is named `Unknown`, as in Tornado.
    public static let names: [String: Name] = [
        "af_ZA": Name(name: "Afrikaans", englishName: "Afrikaans"),
        "am_ET": Name(name: "አማርኛ", englishName: "Amharic"),
        "ar_AR": Name(name: "العربية", englishName: "Arabic"),
        "bg_BG": Name(name: "Български", englishName: "Bulgarian"),
        "bn_IN": Name(name: "বাংলা", englishName: "Bengali"),
        "bs_BA": Name(name: "Bosanski", englishName: "Bosnian"),
        "ca_ES": Name(name: "Català", englishName: "Catalan"),
        "cs_CZ": Name(name: "Čeština", englishName: "Czech"),
        "cy_GB": Name(name: "Cymraeg", englishName: "Welsh"),
        "da_DK": Name(name: "Dansk", englishName: "Danish"),
        "de_DE": Name(name: "Deutsch", englishName: "German"),
        "el_GR": Name(name: "Ελληνικά", englishName: "Greek"),
        "en_GB": Name(name: "English (UK)", englishName: "English (UK)"),
        "en_US": Name(name: "English (US)", englishName: "English (US)"),
        "es_ES": Name(name: "Español (España)", englishName: "Spanish (Spain)"),
        "es_LA": Name(name: "Español", englishName: "Spanish"),
        "et_EE": Name(name: "Eesti", englishName: "Estonian"),
        "eu_ES": Name(name: "Euskara", englishName: "Basque"),
        "fa_IR": Name(name: "فارسی", englishName: "Persian"),
        "fi_FI": Name(name: "Suomi", englishName: "Finnish"),
        "fr_CA": Name(name: "Français (Canada)", englishName: "French (Canada)"),
        "fr_FR": Name(name: "Français", englishName: "French"),
        "ga_IE": Name(name: "Gaeilge", englishName: "Irish"),
        "gl_ES": Name(name: "Galego", englishName: "Galician"),
        "he_IL": Name(name: "עברית", englishName: "Hebrew"),
        "hi_IN": Name(name: "हिन्दी", englishName: "Hindi"),
        "hr_HR": Name(name: "Hrvatski", englishName: "Croatian"),
        "hu_HU": Name(name: "Magyar", englishName: "Hungarian"),
        "id_ID": Name(name: "Bahasa Indonesia", englishName: "Indonesian"),
        "is_IS": Name(name: "Íslenska", englishName: "Icelandic"),
        "it_IT": Name(name: "Italiano", englishName: "Italian"),
        "ja_JP": Name(name: "日本語", englishName: "Japanese"),
        "ko_KR": Name(name: "한국어", englishName: "Korean"),
        "lt_LT": Name(name: "Lietuvių", englishName: "Lithuanian"),
        "lv_LV": Name(name: "Latviešu", englishName: "Latvian"),
        "mk_MK": Name(name: "Македонски", englishName: "Macedonian"),
        "ml_IN": Name(name: "മലയാളം", englishName: "Malayalam"),
        "ms_MY": Name(name: "Bahasa Melayu", englishName: "Malay"),
        "nb_NO": Name(name: "Norsk (bokmål)", englishName: "Norwegian (bokmal)"),
        "nl_NL": Name(name: "Nederlands", englishName: "Dutch"),
        "nn_NO": Name(name: "Norsk (nynorsk)", englishName: "Norwegian (nynorsk)"),
        "pa_IN": Name(name: "ਪੰਜਾਬੀ", englishName: "Punjabi"),
        "pl_PL": Name(name: "Polski", englishName: "Polish"),
        "pt_BR": Name(name: "Português (Brasil)", englishName: "Portuguese (Brazil)"),
        "pt_PT": Name(name: "Português (Portugal)", englishName: "Portuguese (Portugal)"),
        "ro_RO": Name(name: "Română", englishName: "Romanian"),
        "ru_RU": Name(name: "Русский", englishName: "Russian"),
        "sk_SK": Name(name: "Slovenčina", englishName: "Slovak"),
        "sl_SI": Name(name: "Slovenščina", englishName: "Slovenian"),
        "sq_AL": Name(name: "Shqip", englishName: "Albanian"),
        "sr_RS": Name(name: "Српски", englishName: "Serbian"),
        "sv_SE": Name(name: "Svenska", englishName: "Swedish"),
        "sw_KE": Name(name: "Kiswahili", englishName: "Swahili"),
        "ta_IN": Name(name: "தமிழ்", englishName: "Tamil"),
        "te_IN": Name(name: "తెలుగు", englishName: "Telugu"),
        "th_TH": Name(name: "ภาษาไทย", englishName: "Thai"),
        "tl_PH": Name(name: "Filipino", englishName: "Filipino"),
        "tr_TR": Name(name: "Türkçe", englishName: "Turkish"),
        "uk_UA": Name(name: "Українська", englishName: "Ukraini "),
        "vi_VN": Name(name: "Tiếng Việt", englishName: "Vietnamese"),
        "zh_CN": Name(name: "中文(简体)", englishName: "Chinese (Simplified)"),
        "zh_TW": Name(name: "中文(繁體)", englishName: "Chinese (Traditional)"),
    ]
}
