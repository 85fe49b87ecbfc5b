import Analyze
import Foundation
import Testing
import VOCSchema

/// The labelled set of docs/analysis.md as a regression guard: the figures the report
/// quotes must not silently get worse.
@Suite("Labelled set")
struct LabelledSetTests {
    @Test("labelled.jsonl: category macro-F1 ≥ 0.85, PII recall ≥ 0.99 at precision ≥ 0.95, compliance recall ≥ 0.95")
    func goals() throws {
        let url = try #require(Bundle.module.url(forResource: "Labelled", withExtension: nil)?.appendingPathComponent("labelled.jsonl"))
        let analyzer = try Fixture.analyzer()
        let labels = analyzer.rules.current().pack.categories.map(\.id)
        var evaluation = Evaluation()
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            let item = try JSONCoding.decoder().decode(Evaluation.Item.self, from: Data(line.utf8))
            evaluation.add(item, analyzer.analyzeAndLearn(item.input), categoryLabels: labels)
        }
        #expect(evaluation.items >= 100)
        #expect(Set(evaluation.categories.keys).isSuperset(of: labels))
        #expect(Evaluation.macroF1(evaluation.categories) >= 0.85)
        let pii = Evaluation.total(evaluation.pii)
        #expect(pii.recall >= 0.99 && pii.precision >= 0.95)
        #expect(Evaluation.total(evaluation.compliance).recall >= 0.95)
    }
}
