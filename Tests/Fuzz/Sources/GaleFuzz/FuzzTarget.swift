/// One parser of Gale that faces input, and how a fuzz input reaches it.
enum FuzzTarget: String, CaseIterable, Sendable {
    case template
    case signedValue = "signed-value"
    case xsrf
    case multipart
    case range
    case cgi
    case form
    case acceptLanguage = "accept-language"
    case gettext
    case csv
    case cookie

    /// Feeds `input` to the parser.
    func run(_ input: FuzzInput) {
        switch self {
        case .template: TemplateFuzz.run(input)
        case .signedValue: SignedValueFuzz.run(input)
        case .xsrf: XSRFFuzz.run(input)
        case .multipart: MultipartFuzz.run(input)
        case .range: RangeFuzz.run(input)
        case .cgi: CGIFuzz.run(input)
        case .form: FormFuzz.run(input)
        case .acceptLanguage: AcceptLanguageFuzz.run(input)
        case .gettext: GettextFuzz.run(input)
        case .csv: CSVFuzz.run(input)
        case .cookie: CookieFuzz.run(input)
        }
    }
}
