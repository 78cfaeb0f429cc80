import GaleTesting
import Testing

/// `GALE_TEST_TIMEOUT_SCALE`, which `make sanitize` sets so waits last under ThreadSanitizer.
@Suite struct TestTimeoutsTests {
    @Test func aPositiveNumberIsTheScale() {
        #expect(TestTimeouts.parse("3") == 3)
        #expect(TestTimeouts.parse("2.5") == 2.5)
    }

    @Test func anythingElseLeavesWaitsAsTheyAre() {
        for text in [nil, "", "fast", "0", "-2", "nan", "inf"] as [String?] {
            #expect(TestTimeouts.parse(text) == 1, "\(text ?? "unset")")
        }
    }

    @Test func aWaitGrowsByTheFactorAndNeverShrinks() {
        #expect(Duration.seconds(5).scaled(by: 4) == .seconds(20))
        #expect(Duration.milliseconds(200).scaled(by: 2.5) == .milliseconds(500))
        #expect(Duration.seconds(5).scaled(by: 0.5) == .seconds(5))
        #expect(Duration.seconds(5).scaledForTests >= .seconds(5))
    }
}
