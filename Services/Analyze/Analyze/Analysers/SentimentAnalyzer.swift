import Foundation

/// Lexicon sentiment per utterance, in Chinese (over jieba words) and English (over
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
        var sum = Sum()
        for word in words {
            if word == "|" { sum.endClause() } else { sum.add(lexicon.entry(word)) }
        }
        return Self.make(tanh(sum.value / 2))
    }

    /// The same over words numbered by a ``TermTable`` (whose entries come from the standard lexicon).
    func score(ids: ArraySlice<Int32>, table: borrowing TermTable) -> Score {
        var sum = Sum()
        for id in ids {
            if table.isClauseMark[Int(id)] { sum.endClause() } else { sum.add(table.sentiment[Int(id)]) }
        }
        return Self.make(tanh(sum.value / 2))
    }

    /// The running sum of one utterance: negators and intensifiers reach three words and end at a clause mark.
    struct Sum {
        var value = 0.0
        var negateReach = 0
        var multiplier = 1.0
        var multiplierReach = 0

        mutating func endClause() {
            negateReach = 0
            multiplierReach = 0
            multiplier = 1
        }

        mutating func add(_ entry: SentimentLexicon.Entry?) {
            switch entry {
            case .negator:
                negateReach = 3
                return
            case .intensifier(let factor):
                multiplier *= factor
                multiplierReach = 3
                return
            case .polarity(let polarity):
                var contribution = polarity * multiplier
                if negateReach > 0 { contribution = -contribution * 0.8 }
                value += contribution
                negateReach = 0
                multiplier = 1
                multiplierReach = 0
                return
            case nil:
                break
            }
            if negateReach > 0 { negateReach -= 1 }
            if multiplierReach > 0 {
                multiplierReach -= 1
                if multiplierReach == 0 { multiplier = 1 }
            }
        }
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
