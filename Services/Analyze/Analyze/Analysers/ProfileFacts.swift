/// Profile facts of the rule pack, each with the utterance that reveals it, and the
/// suitability hints that follow from them.
///
/// Only the customer's own turns (or turns of unknown speaker) count; a negated mention
/// (我没有高血压) or one about someone else (`unless`: 我妈妈有高血压) is no fact.
/// Facts said in passing inside a complaint are found like any other.
public struct ProfileFactExtractor: Sendable {
    public struct Fact: Sendable, Equatable {
        public var fact: String
        public var utteranceIndex: Int
        public var confidence: Double
        public var sensitive: Bool
    }

    func extract(_ document: MatchDocument, rules: CompiledRules) -> [Fact] {
        var facts: [Fact] = []
        for (definition, compiled) in rules.facts {
            let hits = rules.hits(compiled, in: document, skipping: .agent)
            guard let first = hits.first else { continue }
            // Said more than once, or in more than one way: a little more certain.
            let confidence = min(0.99, definition.confidence + (hits.count > 1 ? 0.1 : 0))
            facts.append(Fact(fact: definition.fact, utteranceIndex: first.utterance, confidence: confidence,
                              sensitive: definition.sensitive))
        }
        return facts
    }

    /// Hints for the facts found, in rule-file order, without repeats.
    func suitability(_ facts: [Fact], rules: CompiledRules) -> [String] {
        var hints: [String] = []
        for fact in facts {
            for hint in rules.pack.suitability[fact.fact] ?? [] where !hints.contains(hint) { hints.append(hint) }
        }
        return hints
    }
}
