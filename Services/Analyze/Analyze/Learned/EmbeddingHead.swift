import Foundation

/// The slow path of the learned model: logistic-regression heads (LIBLINEAR, the same
/// solver as the linear model) over a document's e5 sentence embedding, three for
/// sentiment and one per category. The linear model decides a document when its top
/// sentiment and top category probabilities both reach ``cascadeThreshold``; otherwise
/// the mean of this head's probabilities and the linear model's, weighted by ``weight``,
/// decides sentiment and categories.
public struct EmbeddingHead: Sendable {
    /// SHA-256 of the e5 weight file the heads were trained on; another file is refused.
    public let weightsSHA256: String
    public let cascadeThreshold: Double
    /// A category other than the most likely one is reported at this probability or above.
    public let secondaryThreshold: Double
    /// The share of this head in the slow path's probabilities (1: this head alone). The two
    /// models err on different documents, so their mean can beat either.
    public let weight: Double
    /// One row per head: bias, then one weight per embedding dimension.
    let heads: [[Float]]
    let sentimentCount: Int

    struct File: Codable {
        var weightsSHA256: String
        var cascadeThreshold: Double
        var secondaryThreshold: Double
        /// Absent in files written before the blend: the head alone.
        var weight: Double?
        var training: [String: String]
        var heads: [[Float]]
    }

    init(_ file: File, sentimentCount: Int, categoryCount: Int) throws(AnalyzeError) {
        guard file.heads.count == sentimentCount + categoryCount else {
            throw AnalyzeError(.model, "embedding: \(file.heads.count) heads for \(sentimentCount + categoryCount) labels")
        }
        guard file.heads.allSatisfy({ $0.count == SentenceEmbedder.dimensions + 1 }) else {
            throw AnalyzeError(.model, "embedding: each head needs a bias and \(SentenceEmbedder.dimensions) weights")
        }
        let weight = file.weight ?? 1
        guard weight > 0, weight <= 1 else {
            throw AnalyzeError(.model, "embedding: weight must be in (0, 1]")
        }
        weightsSHA256 = file.weightsSHA256
        self.weight = weight
        cascadeThreshold = file.cascadeThreshold
        secondaryThreshold = file.secondaryThreshold
        heads = file.heads
        self.sentimentCount = sentimentCount
    }

    /// Probabilities as LIBLINEAR's `predict_probability` gives them per binary head; the
    /// sentiment heads normalised to sum to one.
    func predict(_ embedding: [Float]) -> LinearModel.Prediction {
        var probabilities = heads.map { row -> Double in
            var sum = row[0]
            for index in embedding.indices { sum += row[index + 1] * embedding[index] }
            return 1 / (1 + exp(-Double(sum)))
        }
        let total = probabilities[0..<sentimentCount].reduce(0, +)
        for head in 0..<sentimentCount { probabilities[head] /= total }
        return LinearModel.Prediction(sentiment: Array(probabilities[0..<sentimentCount]),
                                      categories: Array(probabilities[sentimentCount...]))
    }

    /// The slow path's answer: the weighted mean of this head's and the linear model's probabilities.
    func blend(_ linear: LinearModel.Prediction, _ slow: LinearModel.Prediction) -> LinearModel.Prediction {
        Self.blend(linear, slow, weight: weight)
    }

    static func blend(_ linear: LinearModel.Prediction, _ slow: LinearModel.Prediction, weight: Double) -> LinearModel.Prediction {
        guard weight < 1 else { return slow }
        func mean(_ a: [Double], _ b: [Double]) -> [Double] { zip(a, b).map { (1 - weight) * $0 + weight * $1 } }
        return LinearModel.Prediction(sentiment: mean(linear.sentiment, slow.sentiment),
                                      categories: mean(linear.categories, slow.categories))
    }

    /// Whether the linear model's probabilities leave the document to this head.
    func wants(_ linear: LinearModel.Prediction) -> Bool { Self.gate(cascadeThreshold)(linear) }

    /// The slow path is taken when the linear model's top sentiment or top category
    /// probability is below `threshold` (0: never; 1: always).
    static func gate(_ threshold: Double) -> (LinearModel.Prediction) -> Bool {
        { linear in threshold >= 1 || min(linear.sentiment.max() ?? 0, linear.categories.max() ?? 0) < threshold }
    }
}

/// Which part of the learned model decided a document.
public enum LearnedPath: String, Sendable {
    /// The linear model was sure enough.
    case linear
    /// The embedding head decided.
    case embedding
    /// The embedding head was wanted but the e5 engine is not available: the linear model decided.
    case linearFallback = "linear-fallback"
}
