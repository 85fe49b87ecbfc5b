import Foundation

/// Lexicon sentiment per utterance, in Chinese (over friso words) and English (over
/// Porter stems), with negation (不满意, 没解决, not helpful: the polarity flips and
/// weakens) and intensifiers (非常, 太, very: stronger; 有点, slightly: weaker).
/// A clause mark ends the reach of a negation or an intensifier.
public struct SentimentAnalyzer: Sendable {
    public struct Score: Sendable, Equatable {
        /// `negative`, `neutral` or `positive`.
        public var label: String
        /// -1...1.
        public var score: Double
    }

    let lexicon: SentimentLexicon

    public init(lexicon: SentimentLexicon = .standard) {
        self.lexicon = lexicon
    }

    /// The sentiment of one utterance's words (see ``Tokenizer/words(_:language:)``).
    public func score(words: [String]) -> Score {
        var sum = 0.0
        var negateReach = 0
        var multiplier = 1.0
        var multiplierReach = 0
        for word in words {
            if word == "|" {
                negateReach = 0
                multiplierReach = 0
                multiplier = 1
                continue
            }
            switch lexicon.entries[lexicon.key(word)] {
            case .negator:
                negateReach = 3
                continue
            case .intensifier(let factor):
                multiplier *= factor
                multiplierReach = 3
                continue
            case .polarity(let polarity):
                var value = polarity * multiplier
                if negateReach > 0 { value = -value * 0.8 }
                sum += value
                negateReach = 0
                multiplier = 1
                multiplierReach = 0
                continue
            case nil:
                break
            }
            if negateReach > 0 { negateReach -= 1 }
            if multiplierReach > 0 {
                multiplierReach -= 1
                if multiplierReach == 0 { multiplier = 1 }
            }
        }
        return Self.make(tanh(sum / 2))
    }

    /// The interaction's sentiment: the mean of its opinionated utterances, the
    /// customer's weighing four times the agent's.
    public func overall(_ utterances: [(score: Score, isAgent: Bool)]) -> Score {
        var total = 0.0, weights = 0.0
        for utterance in utterances where abs(utterance.score.score) > 0.05 {
            let weight = utterance.isAgent ? 0.25 : 1
            total += utterance.score.score * weight
            weights += weight
        }
        return Self.make(weights == 0 ? 0 : total / weights)
    }

    static func make(_ value: Double) -> Score {
        let rounded = (value * 1000).rounded() / 1000
        let label = rounded > 0.15 ? "positive" : rounded < -0.15 ? "negative" : "neutral"
        return Score(label: label, score: rounded)
    }
}
