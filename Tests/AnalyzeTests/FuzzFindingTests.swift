@testable import Analyze
import Testing

/// What the `pii` fuzz target found.
@Suite("Fuzz findings: PII")
struct PIIFuzzFindingTests {
    @Test("two e-mail addresses glued together give findings that do not overlap, so redaction covers each")
    func gluedAddresses() {
        let detector = PIIDetector(latestYear: 2026)
        let text = "邮箱 zhang.san+vip@example.coip@example.com 谢谢"
        let found = detector.find(in: text)
        #expect(found.map(\.type) == ["email"])
        for (first, second) in zip(found, found.dropFirst()) { #expect(first.end <= second.start) }
        #expect(detector.redact(text, found) == "邮箱 [email]@example.com 谢谢")
    }
}
