/// Complaint risk (escalation: anger, regulator or media threats, repeated contact) and
/// customer effort (repeats, transfers, waiting), each 0...1.
///
/// Every cue of the rule pack that fires in a customer turn contributes its weight
/// once; contributions combine as independent evidence, `1 - Π(1 - w)`. Strong negative
/// sentiment adds to complaint risk the same way.
public struct SignalScorer: Sendable {
    public struct Score: Sendable, Equatable {
        public var value: Double
        /// The cues that fired, e.g. `regulator_threat`.
        public var signals: [String]
    }

    func complaintRisk(_ document: MatchDocument, sentiment: Double, rules: CompiledRules) -> Score {
        adding(sentiment: sentiment, to: complaintCues(document, rules: rules))
    }

    /// The complaint-risk cues alone, before the sentiment is known.
    func complaintCues(_ document: MatchDocument, rules: CompiledRules) -> Score {
        combine(rules.complaintRisk, document, rules: rules)
    }

    func adding(sentiment: Double, to cues: Score) -> Score {
        var score = cues
        if sentiment < -0.3 {
            score.value = ((1 - (1 - score.value) * (1 - min(0.5, -sentiment * 0.5))) * 1000).rounded() / 1000
            score.signals.append("negative_sentiment")
        }
        return score
    }

    func effort(_ document: MatchDocument, rules: CompiledRules) -> Score {
        combine(rules.effort, document, rules: rules)
    }

    private func combine(_ cues: [(signal: String, rules: [CompiledRule])], _ document: MatchDocument,
                         rules: CompiledRules) -> Score {
        var remaining = 1.0
        var signals: [String] = []
        for cue in cues {
            var strongest = 0.0
            for rule in cue.rules where rules.hits(rule, in: document).contains(where: { document.utterances[$0.utterance].speaker != .agent }) {
                strongest = max(strongest, min(1, max(0, rule.weight)))
            }
            if strongest > 0 {
                remaining *= 1 - strongest
                signals.append(cue.signal)
            }
        }
        return Score(value: ((1 - remaining) * 1000).rounded() / 1000, signals: signals)
    }
}
