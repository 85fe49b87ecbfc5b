import Foundation

/// What `voc train` does: trains the heads for each candidate cost C on the train split,
/// picks the C and the secondary-category threshold that do best on the dev split, and
/// writes the model file. Same examples, same seed → the same bytes.
public struct ModelTraining: Sendable {
    public static let sentimentLabels = ["negative", "neutral", "positive"]
    public var categories: [String]
    public var seed: UInt32
    public var costs: [Double]
    public static let thresholds = stride(from: 0.2, through: 0.9, by: 0.05).map { ($0 * 100).rounded() / 100 }

    public init(categories: [String], seed: UInt32 = 1, costs: [Double] = [1, 4, 16, 64]) {
        self.categories = categories
        self.seed = seed
        self.costs = costs
    }

    public struct Outcome: Sendable {
        /// The model file.
        public var file: Data
        public var version: String
        /// One line per candidate: C, threshold, dev figures.
        public var report: [String]
    }

    /// - Parameter source: names the data (kept in the file, part of its version).
    /// - Throws: ``AnalyzeError`` when a head cannot be trained (a label with no example).
    ///   - cascadeDev: examples with embeddings, not drawn from the training pieces: with
    ///     `embedding`, they choose the embedding head's C, its secondary threshold and the cascade threshold.
    ///   - embedding: the e5 weight file's SHA-256 and the costs to try; nil: no embedding head.
    public func run(train: [TrainingExample], dev: [TrainingExample], cascadeDev: [TrainingExample] = [],
                    embedding: (weightsSHA256: String, costs: [Double])? = nil, source: String) throws(AnalyzeError) -> Outcome {
        Liblinear.prepare(seed: seed)
        let problem = LinearProblem(train)
        var best: (score: Double, write: (String?) -> (text: String, version: String))?
        var report: [String] = []
        for cost in costs {
            let (weights, bias) = try heads(problem, train, cost: cost)
            let draft = Self.write(vocabulary: problem.vocabulary, weights: weights, bias: bias, threshold: 0.5,
                                   training: training(cost: cost, examples: train.count, source: source), categories: categories)
            let model = try LinearModel(try JSONDecoder().decodeModel(Data(draft.text.utf8)))
            let (threshold, macroF1, accuracy) = Self.tune(model, dev)
            report.append(String(format: "C %-5g threshold %.2f  dev category macro-F1 %.3f  sentiment accuracy %.3f",
                                 cost, threshold, macroF1, accuracy))
            let score = macroF1 + accuracy
            if best == nil || score > best!.score {
                let training = training(cost: cost, examples: train.count, source: source)
                best = (score, { [categories] embedding in
                    Self.write(vocabulary: problem.vocabulary, weights: weights, bias: bias, threshold: threshold,
                               training: training, categories: categories, embedding: embedding)
                })
            }
        }
        guard let best else { throw AnalyzeError(.training, "no cost to try") }
        var fragment: String?
        if let embedding {
            let linear = try LinearModel(try JSONDecoder().decodeModel(Data(best.write(nil).text.utf8)))
            let (head, lines) = try embeddingHead(linear: linear, train: train, dev: cascadeDev, weightsSHA256: embedding.weightsSHA256,
                                                  costs: embedding.costs)
            report += lines
            fragment = head
        }
        let file = best.write(fragment)
        return Outcome(file: Data(file.text.utf8), version: file.version, report: report)
    }

    func training(cost: Double, examples: Int, source: String) -> [(String, String)] {
        [("C", String(format: "%g", cost)), ("examples", "\(examples)"), ("seed", "\(seed)"), ("source", source),
         ("solver", "liblinear L2R_LR")]
    }

    /// Weights per feature (row-major, one per head) and one bias per head.
    func heads(_ problem: LinearProblem, _ examples: [TrainingExample], cost: Double) throws(AnalyzeError) -> ([Double], [Double]) {
        var targets: [[Double?]] = Self.sentimentLabels.map { label in
            examples.map { example in example.sentiment.map { $0 == label ? 1 : -1 } }
        }
        targets += categories.map { category in
            examples.map { $0.categories.isEmpty ? nil : ($0.categories.contains(category) ? 1 : -1) }
        }
        let count = targets.count
        var weights = [Double](repeating: 0, count: problem.vocabulary.count * count)
        var bias = [Double](repeating: 0, count: count)
        for (head, labels) in targets.enumerated() {
            let handle: LinearHandle
            do { handle = try problem.train(labels, cost: cost) } catch {
                let name = head < 3 ? Self.sentimentLabels[head] : categories[head - 3]
                throw AnalyzeError(.training, "\(name): \(error.message)")
            }
            for feature in problem.vocabulary.indices {
                weights[feature * count + head] = handle.coefficient(Int32(feature + 1))
            }
            bias[head] = handle.bias
        }
        return (weights, bias)
    }

    /// The secondary threshold with the best dev macro-F1, that F1 and the dev sentiment accuracy.
    static func tune(_ model: LinearModel, _ dev: [TrainingExample]) -> (Double, Double, Double) {
        let predictions = dev.map { model.predict(vector: $0.features) }
        var right = 0, total = 0
        for (example, prediction) in zip(dev, predictions) {
            guard let label = example.sentiment else { continue }
            total += 1
            let best = prediction.sentiment.indices.max { prediction.sentiment[$0] < prediction.sentiment[$1] }!
            if model.sentimentLabels[best] == label { right += 1 }
        }
        var chosen = (threshold: 0.5, f1: -1.0)
        for threshold in thresholds {
            var counts: [String: Evaluation.Counts] = [:]
            for (example, prediction) in zip(dev, predictions) where !example.categories.isEmpty {
                let found = Set(model.categories(prediction.categories, threshold: threshold))
                for label in found.union(example.categories) {
                    counts[label, default: .init()].add(expected: example.categories.contains(label), found: found.contains(label))
                }
            }
            let f1 = Evaluation.macroF1(counts)
            if f1 > chosen.f1 { chosen = (threshold, f1) }
        }
        return (chosen.threshold, chosen.f1, total == 0 ? 0 : Double(right) / Double(total))
    }

    static func number(_ value: Double) -> String {
        abs(value) < 5e-5 ? "0" : String(format: "%.5g", value)
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The file, written by hand so that the same weights always give the same bytes.
    static func write(vocabulary: [UInt64], weights: [Double], bias: [Double], threshold: Double,
                      training: [(String, String)], categories: [String], embedding: String? = nil) -> (text: String, version: String) {
        let heads = bias.count
        let number = Self.number, quoted = Self.quoted
        var rows: [String] = []
        for (row, hash) in vocabulary.enumerated() {
            let values = (0..<heads).map { weights[row * heads + $0] }
            guard values.contains(where: { abs($0) >= 5e-5 }) else { continue }
            rows.append(quoted(String(hash, radix: 16)) + ":[" + values.map(number).joined(separator: ",") + "]")
        }
        func body(_ version: String) -> String {
            """
            {"format":\(quoted(LinearModel.format)),"version":\(quoted(version)),
            "sentiment":[\(sentimentLabels.map(quoted).joined(separator: ","))],
            "categories":[\(categories.map(quoted).joined(separator: ","))],
            "secondaryThreshold":\(String(format: "%.2f", threshold)),
            "training":{\(training.map { quoted($0.0) + ":" + quoted($0.1) }.joined(separator: ","))},
            "bias":[\(bias.map(number).joined(separator: ","))],\(embedding.map { "\n\"embedding\":" + $0 + "," } ?? "")
            "features":{
            \(rows.joined(separator: ",\n"))
            }}

            """
        }
        var unversioned = body("")
        let digest = unversioned.withUTF8(FNV1a.hash)
        let version = "linear-" + String(digest, radix: 16)
        return (body(version), version)
    }
}

extension JSONDecoder {
    func decodeModel(_ data: Data) throws(AnalyzeError) -> LinearModel.File {
        do { return try decode(LinearModel.File.self, from: data) } catch {
            throw AnalyzeError(.model, "not a model file: \(error)")
        }
    }
}

extension LinearModel {
    /// Probabilities for a document given as LIBLINEAR reads it (see ``FeatureSet/vector()``).
    func predict(vector: [UInt64: Double]) -> Prediction {
        var sums = [Float](repeating: 0, count: heads)
        // In hash order: a dictionary's own order changes from process to process, and so would the rounding.
        for hash in vector.keys.sorted() {
            guard let row = row(hash), let value = vector[hash] else { continue }
            for head in 0..<heads { sums[head] += weight(row: row, head: head) * Float(value) }
        }
        return predict(utteranceSums: sums, count: 1, documentSums: [Float](repeating: 0, count: heads))
    }

    /// The most likely category, then any other at or above `threshold`.
    func categories(_ probabilities: [Double], threshold: Double) -> [String] {
        let ranked = probabilities.indices.sorted { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
        return ranked.enumerated().filter { $0.offset == 0 || probabilities[$0.element] >= threshold }.map { categories[$0.element] }
    }
}
