import Analyze
import Foundation

/// The PII detectors of analyze (`PIIDetector`): every finding lies inside the text,
/// findings do not overlap, their values are what the text holds there, and redacting,
/// blanking and masking work on any finding.
///
/// Input: the utterance's text (bytes that are not UTF-8 are replaced, as a decoder would).
enum PIITarget {
    static let detector = PIIDetector(latestYear: 2026)

    static let target = FuzzTarget(
        name: "pii",
        summary: "PII detectors (id card, bank card, phones, e-mail), redaction and masking (analyze's PIIDetector)"
    ) { raw in
        let text = String(decoding: raw, as: UTF8.self)
        let findings = detector.find(in: text)
        let scalars = Array(text.unicodeScalars)
        var end = 0
        for finding in findings.sorted(by: { $0.start < $1.start }) {
            FuzzCheck.expect(finding.start >= 0 && finding.start < finding.end && finding.end <= scalars.count,
                             "a \(finding.type) finding at \(finding.start)..<\(finding.end) lies outside \(scalars.count) scalars")
            FuzzCheck.expect(finding.start >= end, "findings overlap at \(finding.start)")
            end = finding.end
            var value = String.UnicodeScalarView()
            value.append(contentsOf: scalars[finding.start..<finding.end])
            FuzzCheck.expect(String(value) == finding.value, "a finding's value is not the text at its offsets")
            FuzzCheck.expect(PIIDetector.defaultPlaceholders[finding.type] != nil, "unknown PII type \(finding.type)")
            _ = finding.masked
        }
        _ = detector.redact(text, findings)
        _ = detector.blank(text, findings)
    }
}
