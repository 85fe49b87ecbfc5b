import Foundation
import VOCSchema

/// One interaction's features: per utterance (its own sentiment) and for the document.
public struct FeatureSet: Sendable {
    public var utterances: [[UInt64]]
    public var agent: [Bool]
    public var document: [UInt64]
    /// The utterances with PII blanked and which of them the customer said, for ``text``.
    private var texts: [String]
    private var customer: [Bool]

    /// What the e5 embedding reads: the customer's utterances, see ``SentenceEmbedder``. Put
    /// together only for the documents that take the slow path.
    public var text: String { SentenceEmbedder.text(texts, customer: customer) }

    public var utteranceCount: Int { utterances.reduce(0) { $0 + $1.count } }

    init(tokens: [Tokenizer.Tokens], speakers: [SpeakerRole], negations: Features.Negations, language: String,
         channel: String, rules: [String], signals: [String], texts: [String]) {
        agent = speakers.map { $0 == .agent }
        self.texts = texts
        customer = speakers.map { $0 == .customer }
        utterances = zip(tokens, agent).map { tokens, agent in
            var hashes: [UInt64] = []
            hashes.reserveCapacity(tokens.text.utf8.count / 2)
            Features.utterance(tokens, agent: agent, negations: negations) { hashes.append($0) }
            return hashes
        }
        var document: [UInt64] = []
        Features.document(language: language, channel: channel, rules: rules, signals: signals) { document.append($0) }
        self.document = document
    }

    /// The document as LIBLINEAR reads it: each utterance feature weighs `1/√n` (n: all
    /// utterance features, repeats included), each document feature 1.
    public func vector() -> [UInt64: Double] {
        var vector: [UInt64: Double] = [:]
        let count = utteranceCount
        let scale = count > 0 ? 1 / Double(count).squareRoot() : 0
        for hashes in utterances {
            for hash in hashes { vector[hash, default: 0] += scale }
        }
        for hash in document { vector[hash, default: 0] += 1 }
        return vector
    }
}

/// What the learned model says of one interaction.
struct LearnedResult {
    var sentiment: SentimentAnalyzer.Score
    var sentimentProbabilities: [Double]
    var utterances: [SentimentAnalyzer.Score]
    /// Primary first, then secondaries at or above the model's threshold.
    var categories: [(id: String, score: Double)]
    /// Every category's probability, for calibration reports.
    var categoryProbabilities: [Double]
    var path: LearnedPath
}

extension LinearModel {
    /// The linear model's answer, or its blend with the embedding head's where the linear model is unsure
    /// (see ``EmbeddingHead``); per-utterance sentiment is always the linear model's.
    func score(_ features: FeatureSet, embedder: EmbedderSource?) -> LearnedResult {
        var result = score(features)
        guard let head = embedding, head.wants(Prediction(sentiment: result.sentimentProbabilities,
                                                          categories: result.categoryProbabilities)) else {
            embedder?.count(.linear)
            return result
        }
        guard let engine = embedder?.embedder(for: head), let vector = engine.embed(features.text) else {
            result.path = .linearFallback
            embedder?.count(.linearFallback)
            return result
        }
        let prediction = head.blend(Prediction(sentiment: result.sentimentProbabilities, categories: result.categoryProbabilities),
                                    head.predict(vector))
        result.sentiment = sentimentScore(prediction.sentiment)
        result.sentimentProbabilities = prediction.sentiment
        result.categories = categories(prediction.categories, threshold: head.secondaryThreshold).map { id in
            (id, prediction.categories[self.categories.firstIndex(of: id)!])
        }
        result.categoryProbabilities = prediction.categories
        result.path = .embedding
        embedder?.count(.embedding)
        return result
    }

    func score(_ features: FeatureSet) -> LearnedResult {
        let zero = [Float](repeating: 0, count: heads)
        var document = zero
        add(features.document, to: &document)
        var total = zero
        var perUtterance: [SentimentAnalyzer.Score] = []
        for (index, hashes) in features.utterances.enumerated() {
            var sums = zero
            add(hashes, to: &sums)
            for head in 0..<heads { total[head] += sums[head] }
            if features.agent[index] {
                perUtterance.append(SentimentAnalyzer.Score(label: "neutral", score: 0))
            } else {
                perUtterance.append(sentimentScore(predict(utteranceSums: sums, count: hashes.count, documentSums: zero).sentiment))
            }
        }
        let prediction = predict(utteranceSums: total, count: features.utteranceCount, documentSums: document)
        let ranked = prediction.categories.indices.sorted {
            prediction.categories[$0] != prediction.categories[$1] ? prediction.categories[$0] > prediction.categories[$1] : $0 < $1
        }
        var categories: [(id: String, score: Double)] = []
        for (rank, index) in ranked.enumerated() where rank == 0 || prediction.categories[index] >= secondaryThreshold {
            categories.append((self.categories[index], prediction.categories[index]))
        }
        return LearnedResult(sentiment: sentimentScore(prediction.sentiment), sentimentProbabilities: prediction.sentiment,
                             utterances: perUtterance, categories: categories, categoryProbabilities: prediction.categories,
                             path: .linear)
    }

    /// The most likely label; the score is P(positive) − P(negative), in −1…1.
    func sentimentScore(_ probabilities: [Double]) -> SentimentAnalyzer.Score {
        let best = probabilities.indices.max { probabilities[$0] < probabilities[$1] } ?? 0
        let positive = sentimentLabels.firstIndex(of: "positive").map { probabilities[$0] } ?? 0
        let negative = sentimentLabels.firstIndex(of: "negative").map { probabilities[$0] } ?? 0
        return SentimentAnalyzer.Score(label: sentimentLabels[best], score: ((positive - negative) * 1000).rounded() / 1000)
    }
}
