import Foundation

/// Categories of the rule pack: each fired rule adds its weight once; a category whose
/// sum reaches its threshold is reported, ranked by score.
public struct Categorizer: Sendable {
    public struct Result: Sendable, Equatable {
        public var id: String
        /// 0...1: `1 - exp(-sum / threshold)`, so reaching the threshold gives 0.63.
        public var score: Double
        /// The first utterance that fired a rule.
        public var utteranceIndex: Int
    }

    func categorize(_ document: MatchDocument, rules: CompiledRules) -> [Result] {
        var results: [Result] = []
        for category in rules.categories {
            var sum = 0.0
            var first = Int.max
            for rule in category.rules {
                guard let hit = rules.firstHit(rule, in: document) else { continue }
                sum += rule.weight
                first = min(first, hit.utterance)
            }
            if sum >= category.threshold, sum > 0 {
                results.append(Result(id: category.id, score: 1 - exp(-sum / category.threshold), utteranceIndex: first))
            }
        }
        return results.sorted { $0.score != $1.score ? $0.score > $1.score : $0.id < $1.id }
    }
}
