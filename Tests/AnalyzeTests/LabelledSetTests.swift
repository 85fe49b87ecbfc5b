import Analyze
import Foundation
import Testing
import VOCSchema

/// The labelled sets of docs/analysis.md. `heldout.jsonl` was written after the rule
/// pack was frozen, so its figures are what the rules do on text they never saw: they
/// are asserted at what holds today, below the goals the rules do not yet reach there
/// (category macro-F1 ≥ 0.85, compliance recall ≥ 0.95). `labelled.jsonl` is the set the
/// rules were written against: only a guard that an edit does not break what they cover.
@Suite("Labelled sets")
struct LabelledSetTests {
    @Test("heldout.jsonl (never tuned on): category macro-F1 ≥ 0.75, PII recall ≥ 0.99 at precision ≥ 0.95, compliance recall ≥ 0.85")
    func heldOut() throws {
        let evaluation = try evaluate("heldout.jsonl")
        #expect(evaluation.items >= 40)
        #expect(Evaluation.macroF1(evaluation.categories) >= 0.75)
        let pii = Evaluation.total(evaluation.pii)
        #expect(pii.recall >= 0.99 && pii.precision >= 0.95)
        #expect(Evaluation.total(evaluation.compliance).recall >= 0.85)
    }

    @Test("labelled.jsonl (the rules' own set) still scores as the rules were written: macro-F1 ≥ 0.95, every label seen")
    func writtenAgainst() throws {
        let evaluation = try evaluate("labelled.jsonl")
        #expect(evaluation.items >= 100)
        #expect(Set(evaluation.categories.keys).isSuperset(of: try Fixture.analyzer().rules.current().pack.categories.map(\.id)))
        #expect(Evaluation.macroF1(evaluation.categories) >= 0.95)
        #expect(Evaluation.total(evaluation.compliance).recall >= 0.95)
    }

    /// What holds on a labelled split with the bundled model and its e5 cascade, and why
    /// the split is what it is.
    struct Floors: CustomTestStringConvertible, Sendable {
        var file: String
        var items: Int
        var macroF1: Double
        var sentiment: Double
        var zh: Double
        var en: Double
        var compliance: (recall: Double, precision: Double)
        var facts: (recall: Double, precision: Double)
        /// How far the model stays above the rules alone, when the split is asserted for it.
        var overRules: (macroF1: Double, sentiment: Double)?
        var status: String

        var testDescription: String {
            "\(file) (\(status)): category macro-F1 ≥ \(macroF1), sentiment ≥ \(sentiment) (zh ≥ \(zh), en ≥ \(en)), PII 1.00 / 1.00, "
                + "compliance ≥ \(compliance.recall) / \(compliance.precision), profile facts ≥ \(facts.recall) / \(facts.precision)"
                + (overRules.map { ", above the rules alone by \($0.macroF1) macro-F1 and \($0.sentiment) sentiment" } ?? "")
        }
    }

    static let splits: [Floors] = [
        Floors(file: "test9.jsonl", items: 210, macroF1: 0.90, sentiment: 0.97, zh: 0.98, en: 0.95, compliance: (0.99, 0.94),
               facts: (0.91, 0.95), overRules: (0.1, 0.5),
               status: "the test split: never trained on, never used to choose a setting; PII answers to a question for an identifier were read after it was measured"),
        Floors(file: "test8.jsonl", items: 180, macroF1: 0.84, sentiment: 0.97, zh: 0.97, en: 0.96, compliance: (0.97, 0.93),
               facts: (0.99, 0.93), overRules: (0.1, 0.5),
               status: "never trained on, never used to choose a setting; the PII identifier names were widened after it was measured"),
        Floors(file: "test7.jsonl", items: 210, macroF1: 0.89, sentiment: 0.97, zh: 0.97, en: 0.96, compliance: (0.98, 0.99),
               facts: (0.97, 0.97), overRules: nil,
               status: "never trained on; a dev split of the model's thresholds; identity, disclosure and promise phrases were fixed against it"),
        Floors(file: "test6.jsonl", items: 250, macroF1: 0.89, sentiment: 0.94, zh: 0.93, en: 0.95, compliance: (0.96, 0.98),
               facts: (0.94, 0.97), overRules: nil,
               status: "never trained on; a dev split of the model's thresholds; identity and the PII identifier rule were fixed against it"),
        Floors(file: "spent-test-v5.jsonl", items: 200, macroF1: 0.88, sentiment: 0.96, zh: 0.94, en: 0.98, compliance: (0.99, 0.98),
               facts: (0.92, 0.92), overRules: nil,
               status: "never trained on; the rules were tuned on it after it was measured; 70 advisor calls"),
        Floors(file: "spent-test-v4.jsonl", items: 300, macroF1: 0.85, sentiment: 0.91, zh: 0.92, en: 0.90, compliance: (0.99, 0.99),
               facts: (0.99, 0.99), overRules: (0.1, 0.3),
               status: "never trained on; the compliance and fact phrases were widened against it"),
    ]

    @Test("the split floors with the bundled model", arguments: splits)
    func splitFloors(_ floors: Floors) throws {
        let learned = try evaluate(floors.file, analyzer: LearnedModelTests.analyzer)
        #expect(learned.items >= floors.items)
        #expect(Evaluation.macroF1(learned.categories) >= floors.macroF1)
        #expect(learned.sentimentAccuracy >= floors.sentiment)
        #expect((learned.sentimentAccuracy(language: "zh") ?? 0) >= floors.zh)
        #expect((learned.sentimentAccuracy(language: "en") ?? 0) >= floors.en)
        let pii = Evaluation.total(learned.pii)
        #expect(pii.recall == 1 && pii.precision == 1)
        let compliance = Evaluation.total(learned.compliance)
        #expect(compliance.recall >= floors.compliance.recall && compliance.precision >= floors.compliance.precision)
        let facts = Evaluation.total(learned.facts)
        #expect(facts.recall >= floors.facts.recall && facts.precision >= floors.facts.precision)
        if let margin = floors.overRules {
            let rules = try evaluate(floors.file)
            #expect(Evaluation.macroF1(learned.categories) > Evaluation.macroF1(rules.categories) + margin.macroF1)
            #expect(learned.sentimentAccuracy > rules.sentimentAccuracy + margin.sentiment)
        }
    }

    @Test("heldout.jsonl with the bundled model and its e5 cascade (written by others, never trained on): category macro-F1 ≥ 0.85")
    func heldOutLearned() throws {
        let evaluation = try evaluate("heldout.jsonl", analyzer: LearnedModelTests.analyzer)
        #expect(Evaluation.macroF1(evaluation.categories) >= 0.85)
    }

    private func evaluate(_ name: String, analyzer given: Analyzer? = nil) throws -> Evaluation {
        let url = try #require(Bundle.module.url(forResource: "Labelled", withExtension: nil)?.appendingPathComponent(name))
        let analyzer = try given ?? Fixture.analyzer()
        let labels = analyzer.rules.current().pack.categories.map(\.id)
        var evaluation = Evaluation()
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let item = try JSONCoding.decoder().decode(Evaluation.Item.self, from: Data(line.utf8))
            evaluation.add(item, analyzer.analyzeAndLearn(item.input), categoryLabels: labels)
        }
        return evaluation
    }
}
