import CFuzzerDriver

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The target this process fuzzes, named by `GALE_FUZZ_TARGET`; read once, at the first input.
let selectedTarget: FuzzTarget = {
    guard let name = getenv("GALE_FUZZ_TARGET").map({ String(cString: $0) }), let target = FuzzTarget(rawValue: name)
    else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")
        let message = Array("gale-fuzz: set GALE_FUZZ_TARGET to one of: \(names)\n".utf8)
        _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(2)
    }
    return target
}()

/// libFuzzer's entry point: one input, handed to the selected target. Bad input must come back
/// as an error or `nil` from Gale's parsers; a crash, hang or runaway allocation is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selectedTarget.run(FuzzInput(bytes))
    return 0
}

/// The program's entry point. SwiftPM links an executable target's `main` to `GaleFuzz_main`
/// (so that tests could import it), which leaves libFuzzer's own `main` out; this one starts
/// libFuzzer's driver with the command line, as that `main` would.
@_cdecl("GaleFuzz_main")
func galeFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    _ = selectedTarget  // an unknown name stops here, not as a "crash" on the first input
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in testOneInput(data, size) }
}
