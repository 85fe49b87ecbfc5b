import Foundation
import VOCSchema

/// Scores analyze against a labelled set: precision, recall and F1 per label for
/// categories, PII types, compliance rules and profile facts; sentiment accuracy (per
/// language) and its confusion matrix; how often the primary category is right; and,
/// with a model, how well its probabilities are calibrated.
///
/// A labelled line is an input line of `voc analyze` plus `expected`:
/// `{"categories": [primary, secondary...], "sentiment": "negative|neutral|positive",
/// "pii": [{"type", "text"}], "compliance": [...], "facts": [...]}`.
/// A PII finding counts as right when its type and its exact text match an expected one.
public struct Evaluation: Sendable {
    public struct Expected: Decodable, Sendable {
        public var categories: [String]?
        public var sentiment: String?
        public var pii: [ExpectedPII]?
        public var compliance: [String]?
        public var facts: [String]?
    }

    public struct ExpectedPII: Decodable, Sendable, Hashable {
        public var type: String
        public var text: String
    }

    public struct Item: Decodable, Sendable {
        public var input: AnalysisInput
        public var expected: Expected

        enum CodingKeys: String, CodingKey { case expected }

        public init(from decoder: any Decoder) throws {
            input = try AnalysisInput(from: decoder)
            expected = try decoder.container(keyedBy: CodingKeys.self).decode(Expected.self, forKey: .expected)
        }
    }

    /// True/false positives and false negatives of one label.
    public struct Counts: Sendable, Equatable {
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0

        public var precision: Double { ratio(truePositives, truePositives + falsePositives) }
        public var recall: Double { ratio(truePositives, truePositives + falseNegatives) }
        public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
        private func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 1 : Double(a) / Double(b) }

        mutating func add(expected: Bool, found: Bool) {
            switch (expected, found) {
            case (true, true): truePositives += 1
            case (false, true): falsePositives += 1
            case (true, false): falseNegatives += 1
            case (false, false): break
            }
        }
    }

    public var categories: [String: Counts] = [:]
    public var pii: [String: Counts] = [:]
    public var compliance: [String: Counts] = [:]
    public var facts: [String: Counts] = [:]
    public var items = 0
    /// Expected sentiment → found sentiment → items.
    public var sentiment: [String: [String: Int]] = [:]
    /// Language → (right, total) for sentiment.
    public var sentimentByLanguage: [String: (right: Int, total: Int)] = [:]
    public var primaryRight = 0
    public var primaryTotal = 0
    /// Reliability of the model's probabilities: every category probability of every item, and
    /// the probability of the sentiment label it chose.
    public var categoryReliability = Reliability()
    public var sentimentReliability = Reliability()
    /// Documents per learned-model path (``LearnedPath``), with a model that has an embedding head.
    public var paths: [String: Int] = [:]
    /// Wrong answers, for the report: id, section, what was expected and found.
    public var mistakes: [String] = []

    public init() {}

    public static let complianceRules = ["identity_not_stated", "risk_disclosure_missing", "guaranteed_return_promise",
                                         "customer_confirmation_missing"]

    /// Adds one labelled item and the insight analyze produced for it.
    public mutating func add(_ item: Item, _ insight: InsightProduced, categoryLabels: [String],
                             probabilities: (sentiment: [Double], categories: [Double])? = nil) {
        items += 1
        let id = item.input.id
        if let expected = item.expected.sentiment {
            addSentiment(id: id, expected: expected, found: insight.sentiment.label, language: insight.language)
        }
        if let primary = item.expected.categories?.first {
            primaryTotal += 1
            if insight.categories.first?.id == primary { primaryRight += 1 }
        }
        if let probabilities {
            let expected = Set(item.expected.categories ?? [])
            if item.expected.categories != nil {
                for (label, p) in zip(categoryLabels, probabilities.categories) { categoryReliability.add(p, label: expected.contains(label)) }
            }
            if let wanted = item.expected.sentiment, let p = probabilities.sentiment.max() {
                sentimentReliability.add(p, label: wanted == insight.sentiment.label)
            }
        }
        if let expected = item.expected.categories {
            Self.score(&categories, labels: categoryLabels, expected: Set(expected), found: Set(insight.categories.map(\.id)),
                       id: id, section: "categories", mistakes: &mistakes)
        }
        if let expected = item.expected.compliance, item.input.channel == Channel.advisorCall.rawValue {
            Self.score(&compliance, labels: Self.complianceRules, expected: Set(expected), found: Set(insight.compliance.map(\.rule)),
                       id: id, section: "compliance", mistakes: &mistakes)
        }
        if let expected = item.expected.facts {
            let found = Set(insight.profileFacts.map(\.fact))
            Self.score(&facts, labels: Array(Set(expected).union(found)), expected: Set(expected), found: found,
                       id: id, section: "facts", mistakes: &mistakes)
        }
        if let expected = item.expected.pii {
            let found = Set(insight.pii.map { finding -> ExpectedPII in
                let scalars = Array(item.input.utterances[finding.utteranceIndex].text.unicodeScalars)
                return ExpectedPII(type: finding.type, text: String(String.UnicodeScalarView(scalars[finding.start..<finding.end])))
            })
            let wanted = Set(expected)
            for finding in found.union(wanted) {
                pii[finding.type, default: Counts()].add(expected: wanted.contains(finding), found: found.contains(finding))
            }
            if found != wanted {
                mistakes.append("\(id) pii: expected \(wanted.map { "\($0.type):\($0.text)" }.sorted()) found \(found.map { "\($0.type):\($0.text)" }.sorted())")
            }
        }
    }

    private static func score(_ table: inout [String: Counts], labels: [String], expected: Set<String>, found: Set<String>,
                              id: String, section: String, mistakes: inout [String]) {
        for label in Set(labels).union(expected).union(found) {
            table[label, default: Counts()].add(expected: expected.contains(label), found: found.contains(label))
        }
        if expected != found {
            mistakes.append("\(id) \(section): expected \(expected.sorted()) found \(found.sorted())")
        }
    }

    /// Sum of the counts of every label.
    public static func total(_ table: [String: Counts]) -> Counts {
        table.values.reduce(into: Counts()) {
            $0.truePositives += $1.truePositives
            $0.falsePositives += $1.falsePositives
            $0.falseNegatives += $1.falseNegatives
        }
    }

    /// Mean F1 over the labels.
    public static func macroF1(_ table: [String: Counts]) -> Double {
        table.isEmpty ? 0 : table.values.map(\.f1).reduce(0, +) / Double(table.count)
    }

    /// The report `voc analyze --eval` prints.
    public func report(showMistakes: Bool) -> String {
        var lines = ["Labelled items: \(items)", ""]
        if !paths.isEmpty {
            let total = paths.values.reduce(0, +)
            let slow = paths[LearnedPath.embedding.rawValue, default: 0] + paths[LearnedPath.linearFallback.rawValue, default: 0]
            lines.append(String(format: "Slow path (embedding head where the linear model is unsure): %d of %d documents, %.1f%%",
                                slow, total, total == 0 ? 0 : Double(slow) * 100 / Double(total)))
            lines.append("  " + paths.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            lines.append("")
        }
        lines += sentimentReport()
        for (title, table) in [("Categories", categories), ("PII", pii), ("Compliance (advisor_call)", compliance), ("Profile facts", facts)] {
            lines.append("\(title)")
            lines.append("  " + "label".padding(toLength: 32, withPad: " ", startingAt: 0) + "   tp   fp   fn   precision  recall  f1")
            for (label, counts) in table.sorted(by: { $0.key < $1.key }) {
                lines.append("  " + Self.row(label, counts))
            }
            let total = Self.total(table)
            lines.append("  " + Self.row("(micro)", total))
            lines.append("  macro-F1 \(String(format: "%.3f", Self.macroF1(table)))")
            lines.append("")
        }
        if showMistakes, !mistakes.isEmpty {
            lines.append("Mistakes")
            lines += mistakes.map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ label: String, _ c: Counts) -> String {
        label.padding(toLength: 32, withPad: " ", startingAt: 0)
            + String(format: " %4d %4d %4d   %9.3f  %6.3f  %5.3f", c.truePositives, c.falsePositives, c.falseNegatives,
                     c.precision, c.recall, c.f1)
    }
}
