import Analyze
import Foundation
import Logging
import VOCSchema

/// One jieba dictionary and the bundled rule pack for every test of the process.
enum Fixture {
    static let segmenter: ChineseSegmenter = try! ChineseSegmenter()
    static let rulesURL = CompiledRules.bundledURL()!

    /// A fresh analyser (empty corpus and clusters) over the shared lexicon.
    static func analyzer(rules: URL = rulesURL, checkInterval: Duration = .seconds(2)) throws -> Analyzer {
        let store = try RulePackStore(url: rules, checkInterval: checkInterval, logger: Logger(label: "test")) { rules in
            segmenter.addWords(rules.pack.lexicon)
        }
        return Analyzer(rules: store, segmenter: segmenter)
    }

    static let shared: Analyzer = try! analyzer()

    static func input(id: String = "t", channel: String = "chat", language: String? = nil, businessLine: String = "credit_card",
                      occurredAt: Date? = Date(timeIntervalSince1970: 1_795_000_000),
                      _ utterances: [(SpeakerRole, String)]) -> AnalysisInput {
        AnalysisInput(id: id, customerId: "C1", language: language, channel: channel, businessLine: businessLine,
                      occurredAt: occurredAt, utterances: utterances.map { .init(speaker: $0.0, text: $0.1) })
    }

    static func customer(_ text: String, channel: String = "chat") -> InsightProduced {
        shared.analyze(input(channel: channel, [(.customer, text)])).insight
    }

    /// 身份证 with a correct MOD 11-2 check character.
    static func idCard(_ body17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body17, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body17 + String(Array("10X98765432")[sum % 11])
    }

    /// A card number with a correct Luhn digit.
    static func luhnCard(_ body: String) -> String {
        var sum = 0
        for (position, character) in body.reversed().enumerated() {
            var value = Int(String(character))!
            if position % 2 == 0 { value *= 2; if value > 9 { value -= 9 } }
            sum += value
        }
        return body + String((10 - sum % 10) % 10)
    }

    /// `number` with its last digit changed, so its check fails.
    static func breakCheck(_ number: String) -> String {
        let last = number.last!
        let replacement: Character = last == "9" || last == "X" ? "0" : Character(String(Int(String(last))! + 1))
        return String(number.dropLast()) + String(replacement)
    }
}

extension Fixture {
    /// A fresh analyser with the bundled learned model, made as the stage and `voc train`
    /// make it (its own jieba, taught the rule pack's words).
    static func learned() throws -> Analyzer {
        try Analyzer.make(rulesURL: rulesURL, modelURL: LinearModel.bundledURL(), logger: Logger(label: "test"))
    }

    static func labelled(_ name: String) throws -> URL {
        guard let url = Bundle.module.url(forResource: "Labelled", withExtension: nil)?.appendingPathComponent(name) else {
            throw AnalyzeError(.input, "the Labelled folder is missing from the test bundle")
        }
        return url
    }
}
