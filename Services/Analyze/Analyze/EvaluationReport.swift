import Foundation

extension Evaluation {
    /// Probabilities against outcomes in ten bins of width 0.1: a calibrated model's
    /// observed rate in each bin is close to its mean probability.
    public struct Reliability: Sendable {
        public var count = [Int](repeating: 0, count: 10)
        public var probabilitySum = [Double](repeating: 0, count: 10)
        public var positives = [Int](repeating: 0, count: 10)

        public init() {}

        mutating func add(_ probability: Double, label: Bool) {
            let bin = min(9, max(0, Int(probability * 10)))
            count[bin] += 1
            probabilitySum[bin] += probability
            if label { positives[bin] += 1 }
        }

        public var isEmpty: Bool { count.allSatisfy { $0 == 0 } }

        /// Expected calibration error: the mean gap between probability and observed rate, weighted by items.
        public var expectedCalibrationError: Double {
            let total = count.reduce(0, +)
            guard total > 0 else { return 0 }
            return count.indices.reduce(0.0) { sum, bin in
                count[bin] == 0 ? sum : sum + abs(probabilitySum[bin] - Double(positives[bin]))
            } / Double(total)
        }

        func lines() -> [String] {
            var lines = ["    bin        items  mean p  observed"]
            for bin in count.indices where count[bin] > 0 {
                lines.append(String(format: "    %.1f–%.1f  %6d   %.3f     %.3f", Double(bin) / 10, Double(bin + 1) / 10, count[bin],
                                    probabilitySum[bin] / Double(count[bin]), Double(positives[bin]) / Double(count[bin])))
            }
            lines.append(String(format: "    expected calibration error %.3f", expectedCalibrationError))
            return lines
        }
    }

    static let sentimentLabels = ["negative", "neutral", "positive"]

    mutating func addSentiment(id: String, expected: String, found: String, language: String) {
        sentiment[expected, default: [:]][found, default: 0] += 1
        var tally = sentimentByLanguage[language] ?? (0, 0)
        tally.total += 1
        if expected == found { tally.right += 1 } else { mistakes.append("\(id) sentiment: expected \(expected) found \(found)") }
        sentimentByLanguage[language] = tally
    }

    /// Share of items whose sentiment is right.
    public var sentimentAccuracy: Double {
        let total = sentiment.values.flatMap(\.values).reduce(0, +)
        let right = sentiment.reduce(0) { $0 + ($1.value[$1.key] ?? 0) }
        return total == 0 ? 0 : Double(right) / Double(total)
    }

    public func sentimentAccuracy(language: String) -> Double? {
        sentimentByLanguage[language].map { $0.total == 0 ? 0 : Double($0.right) / Double($0.total) }
    }

    public var primaryAccuracy: Double { primaryTotal == 0 ? 0 : Double(primaryRight) / Double(primaryTotal) }

    /// Sentiment accuracy, confusion matrix, primary category and calibration.
    func sentimentReport() -> [String] {
        guard !sentiment.isEmpty || primaryTotal > 0 else { return [] }
        var lines: [String] = []
        if !sentiment.isEmpty {
            let total = sentiment.values.flatMap(\.values).reduce(0, +)
            lines.append(String(format: "Sentiment: accuracy %.3f (%d items)", sentimentAccuracy, total))
            for language in sentimentByLanguage.keys.sorted() {
                let tally = sentimentByLanguage[language]!
                lines.append(String(format: "  %@ accuracy %.3f (%d/%d)", language, sentimentAccuracy(language: language) ?? 0,
                                    tally.right, tally.total))
            }
            lines.append("  confusion (rows expected, columns found)")
            lines.append("  " + "".padding(toLength: 10, withPad: " ", startingAt: 0)
                         + Self.sentimentLabels.map { $0.padding(toLength: 10, withPad: " ", startingAt: 0) }.joined())
            for expected in Self.sentimentLabels {
                let row = Self.sentimentLabels.map { String(sentiment[expected]?[$0] ?? 0).padding(toLength: 10, withPad: " ", startingAt: 0) }
                lines.append("  " + expected.padding(toLength: 10, withPad: " ", startingAt: 0) + row.joined())
            }
            lines.append("")
        }
        if primaryTotal > 0 {
            lines.append(String(format: "Primary category right: %.3f (%d/%d)", primaryAccuracy, primaryRight, primaryTotal))
            lines.append("")
        }
        if !categoryReliability.isEmpty {
            lines.append("Calibration: category probabilities (every category of every item)")
            lines += categoryReliability.lines()
            lines.append("Calibration: probability of the sentiment label chosen")
            lines += sentimentReliability.lines()
            lines.append("")
        }
        return lines
    }
}
