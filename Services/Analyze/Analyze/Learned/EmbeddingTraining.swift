import Foundation

/// The embedding head of the cascade (see ``EmbeddingHead``), trained by LIBLINEAR on the
/// training examples' e5 embeddings with the same solver and targets as the linear model.
/// Its C, its weight in the blend, its secondary threshold and the cascade threshold are chosen on a dev split that
/// is not drawn from the training pieces (a dev split that is rewards memorising and picks
/// "never ask the embedding").
extension ModelTraining {
    public static let cascadeThresholds: [Double] = [0, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.99, 1]
    /// Candidates whose cascade-dev score (macro-F1 + sentiment accuracy) is within this of the
    /// best count as equal (two items of a 200-item split), and the one that sends the fewest
    /// documents to the slow path wins: the embedding costs about 40 ms a document.
    public static let cascadeTolerance = 0.01
    /// The embedding head's shares in the slow path's probabilities tried (1: the head alone).
    public static let blendWeights: [Double] = [0.25, 0.5, 0.75, 1]

    /// The head as the model file's `"embedding"` object, and one report line per candidate.
    func embeddingHead(linear: LinearModel, train: [TrainingExample], dev: [TrainingExample], weightsSHA256: String,
                       costs: [Double]) throws(AnalyzeError) -> (String, [String]) {
        let dimensions = SentenceEmbedder.dimensions
        let embedded = train.filter { $0.embedding != nil }.map(Self.dense)
        let devEmbedded = dev.filter { $0.embedding != nil }
        guard !embedded.isEmpty, !devEmbedded.isEmpty else {
            throw AnalyzeError(.training, "the embedding head needs training and cascade-dev examples with embeddings")
        }
        let problem = LinearProblem(embedded, minimumCount: 1)
        guard problem.vocabulary == (0..<UInt64(dimensions)).map({ $0 }) else {
            throw AnalyzeError(.training, "embeddings must have \(dimensions) dimensions")
        }
        let linearPredictions = devEmbedded.map { linear.predict(vector: $0.features) }
        var report: [String] = []
        var candidates: [(score: Double, slow: Double, text: String)] = []
        for cost in costs {
            let (weights, bias) = try heads(problem, embedded, cost: cost)
            let count = bias.count
            let rows: [[Float]] = (0..<count).map { head in
                [Float(bias[head])] + (0..<dimensions).map { Float(weights[$0 * count + head]) }
            }
            let draft = try EmbeddingHead(.init(weightsSHA256: weightsSHA256, cascadeThreshold: 1, secondaryThreshold: 0.5,
                                                training: [:], heads: rows),
                                          sentimentCount: linear.sentimentLabels.count, categoryCount: linear.categories.count)
            let alone = devEmbedded.map { draft.predict($0.embedding!) }
            for weight in Self.blendWeights {
                let predictions = zip(linearPredictions, alone).map { EmbeddingHead.blend($0, $1, weight: weight) }
                // The slow path's own secondary threshold, on its own answers; then the cascade threshold.
                var secondary = (threshold: 0.5, score: -1.0)
                for threshold in Self.thresholds {
                    let figures = Self.figures(devEmbedded, predictions.map { ($0, threshold) }, linear: linear)
                    if figures.macroF1 > secondary.score { secondary = (threshold, figures.macroF1) }
                }
                for threshold in Self.cascadeThresholds {
                    let gated = EmbeddingHead.gate(threshold)
                    let answers = zip(linearPredictions, predictions).map { fast, slow in
                        gated(fast) ? (slow, secondary.threshold) : (fast, linear.secondaryThreshold)
                    }
                    let slow = Double(linearPredictions.filter(gated).count) / Double(linearPredictions.count)
                    let figures = Self.figures(devEmbedded, answers, linear: linear)
                    let score = figures.macroF1 + figures.accuracy
                    report.append(String(format: "embedding C %-5g weight %.2f secondary %.2f cascade %.2f  slow %5.1f%%  cascade-dev macro-F1 %.3f  sentiment %.3f",
                                         cost, weight, secondary.threshold, threshold, slow * 100, figures.macroF1, figures.accuracy))
                    let training = [("C", String(format: "%g", cost)), ("examples", "\(embedded.count)"),
                                    ("cascade-dev", String(format: "macro-F1 %.3f sentiment %.3f slow %.3f", figures.macroF1, figures.accuracy, slow)),
                                    ("solver", "liblinear L2R_LR")]
                    candidates.append((score, slow, Self.render(sha: weightsSHA256, cascade: threshold, secondary: secondary.threshold,
                                                                weight: weight, training: training, rows: rows)))
                }
            }
        }
        // In order of C, weight, then threshold: the first of the fewest slow documents among the near-best.
        let top = candidates.map(\.score).max()!
        let chosen = candidates.filter { $0.score >= top - Self.cascadeTolerance - 1e-9 }
            .min { $0.slow != $1.slow ? $0.slow < $1.slow : $0.score > $1.score }!
        report.append("embedding head chosen: " + (chosen.text.split(separator: "\n").first.map(String.init) ?? ""))
        return (chosen.text, report)
    }

    /// An example whose features are its embedding (dimension i → key i).
    static func dense(_ example: TrainingExample) -> TrainingExample {
        var copy = example
        copy.features = Dictionary(uniqueKeysWithValues: example.embedding!.enumerated().map { (UInt64($0), Double($1)) })
        return copy
    }

    /// Dev macro-F1 over categories and sentiment accuracy of the given answers (prediction, secondary threshold).
    static func figures(_ dev: [TrainingExample], _ answers: [(LinearModel.Prediction, Double)],
                        linear: LinearModel) -> (macroF1: Double, accuracy: Double) {
        var right = 0, total = 0
        var counts: [String: Evaluation.Counts] = [:]
        for (example, (prediction, threshold)) in zip(dev, answers) {
            if let label = example.sentiment {
                total += 1
                let best = prediction.sentiment.indices.max { prediction.sentiment[$0] < prediction.sentiment[$1] }!
                if linear.sentimentLabels[best] == label { right += 1 }
            }
            guard !example.categories.isEmpty else { continue }
            let found = Set(linear.categories(prediction.categories, threshold: threshold))
            for label in found.union(example.categories) {
                counts[label, default: .init()].add(expected: example.categories.contains(label), found: found.contains(label))
            }
        }
        return (Evaluation.macroF1(counts), total == 0 ? 0 : Double(right) / Double(total))
    }

    static func render(sha: String, cascade: Double, secondary: Double, weight: Double, training: [(String, String)],
                       rows: [[Float]]) -> String {
        let heads = rows.map { "[" + $0.map { number(Double($0)) }.joined(separator: ",") + "]" }
        return """
            {"weightsSHA256":\(quoted(sha)),"cascadeThreshold":\(String(format: "%.2f", cascade)),\
            "secondaryThreshold":\(String(format: "%.2f", secondary)),"weight":\(String(format: "%.2f", weight)),
            "training":{\(training.map { quoted($0.0) + ":" + quoted($0.1) }.joined(separator: ","))},
            "heads":[
            \(heads.joined(separator: ",\n"))
            ]}
            """
    }
}
