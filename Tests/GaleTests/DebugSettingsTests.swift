import Gale
import Testing

/// `debug` sets four flags; each flag given explicitly wins over it, either way (Tornado's
/// `debug=True` sets them only when they are not given).
@Suite struct DebugSettingsTests {
    @Test func debugTurnsTheFlagsToDevelopmentModeAndEachExplicitFlagWins() {
        let production = Settings()
        #expect(!production.effectiveServeTraceback)
        #expect(!production.effectiveAutoreload)
        #expect(production.effectiveCompiledTemplateCache)
        #expect(production.effectiveStaticHashCache)

        let development = Settings(debug: true)
        #expect(development.effectiveServeTraceback)
        #expect(development.effectiveAutoreload)
        #expect(!development.effectiveCompiledTemplateCache)
        #expect(!development.effectiveStaticHashCache)

        #expect(!Settings(debug: true, serveTraceback: false).effectiveServeTraceback)
        #expect(Settings(debug: false, serveTraceback: true).effectiveServeTraceback)
        #expect(!Settings(debug: true, autoreload: false).effectiveAutoreload)
        #expect(Settings(debug: false, autoreload: true).effectiveAutoreload)
        #expect(Settings(debug: true, compiledTemplateCache: true).effectiveCompiledTemplateCache)
        #expect(!Settings(debug: false, compiledTemplateCache: false).effectiveCompiledTemplateCache)
        #expect(Settings(debug: true, staticHashCache: true).effectiveStaticHashCache)
        #expect(!Settings(debug: false, staticHashCache: false).effectiveStaticHashCache)
    }
}
