import Foundation

/// A model `voc train` wrote: logistic-regression heads over hashed ``Features`` (three
/// for sentiment, one per category), read from a JSON file.
///
/// Scoring is the logistic function of each head's weighted sum, what LIBLINEAR's
/// `predict_probability` computes for a binary logistic model; the sentiment heads are
/// normalised to sum to one, as LIBLINEAR does for one-vs-rest.
public final class LinearModel: @unchecked Sendable {  // immutable: `weights` is written only in init
    public static let format = "voc-linear-1"

    /// Changes with every retrained file; part of the insight id.
    public let version: String
    public let sentimentLabels: [String]
    public let categories: [String]
    /// A category other than the most likely one is reported only at this probability or above.
    public let secondaryThreshold: Double
    /// The slow path over e5 sentence embeddings, when the file has one.
    public let embedding: EmbeddingHead?
    let heads: Int
    let bias: [Float]
    /// Row-major: one row of `heads` weights per feature, padded with zeros to `stride`
    /// floats (whole 64-byte cache lines) and aligned to 64 bytes, so a row looked up is
    /// read from one cache line instead of straddling two.
    private let weights: UnsafeMutablePointer<Float>
    let stride: Int
    /// Open addressing over the feature hashes. Key and row share a slot, so a lookup
    /// reads one place in memory before the row's weights.
    let slots: [Slot]
    let mask: Int

    struct Slot {
        var key: UInt64 = 0
        /// -1 for an empty slot.
        var row: Int32 = -1
    }

    struct File: Codable {
        var format: String
        var version: String
        var sentiment: [String]
        var categories: [String]
        var secondaryThreshold: Double
        var training: [String: String]
        var bias: [Float]
        var embedding: EmbeddingHead.File?
        var features: [String: [Float]]
    }

    /// - Throws: ``AnalyzeError`` naming the file and what is wrong with it.
    public static func load(_ url: URL) throws(AnalyzeError) -> LinearModel {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw AnalyzeError(.model, "cannot read \(url.path): \(error.localizedDescription)")
        }
        let file: File
        do { file = try JSONDecoder().decode(File.self, from: data) } catch {
            throw AnalyzeError(.model, "\(url.path) is not a model file: \(error)")
        }
        do { return try LinearModel(file) } catch {
            throw AnalyzeError(.model, "\(url.path): \(error.message)")
        }
    }

    init(_ file: File) throws(AnalyzeError) {
        guard file.format == Self.format else { throw AnalyzeError(.model, "format \(file.format), expected \(Self.format)") }
        guard file.sentiment.count == 3, !file.categories.isEmpty else {
            throw AnalyzeError(.model, "needs three sentiment labels and at least one category")
        }
        let heads = file.sentiment.count + file.categories.count
        guard file.bias.count == heads else { throw AnalyzeError(.model, "bias has \(file.bias.count) values for \(heads) heads") }
        version = file.version
        sentimentLabels = file.sentiment
        categories = file.categories
        secondaryThreshold = file.secondaryThreshold
        self.heads = heads
        bias = file.bias
        if let head = file.embedding {
            embedding = try EmbeddingHead(head, sentimentCount: file.sentiment.count, categoryCount: file.categories.count)
        } else {
            embedding = nil
        }
        var capacity = 16
        while capacity < file.features.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        var slots = [Slot](repeating: Slot(), count: capacity)
        let stride = (heads + 15) / 16 * 16
        let count = max(1, file.features.count) * stride
        let weights = UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
        weights.initialize(repeating: 0, count: count)
        for (row, (key, values)) in file.features.sorted(by: { $0.key < $1.key }).enumerated() {
            guard let hash = UInt64(key, radix: 16), values.count == heads else {
                weights.deallocate()
                throw AnalyzeError(.model, "feature \(key): needs a hex hash and \(heads) weights")
            }
            var slot = FNV1a.slot(hash, mask: mask)
            while slots[slot].row >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Slot(key: hash, row: Int32(row))
            (weights + row * stride).update(from: values, count: heads)
        }
        self.slots = slots
        self.weights = weights
        self.stride = stride
    }

    deinit { weights.deallocate() }

    func weight(row: Int, head: Int) -> Float { weights[row * stride + head] }

    func row(_ hash: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            var slot = FNV1a.slot(hash, mask: mask)
            while true {
                let entry = slots[slot]
                if entry.row < 0 { return nil }
                if entry.key == hash { return Int(entry.row) }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Adds the weights of every known feature among `hashes` to `sums` (one per head).
    func add(_ hashes: [UInt64], to sums: inout [Float]) {
        let heads = heads
        sums.withUnsafeMutableBufferPointer { sums in
            guard stride == 16 else {
                for hash in hashes {
                    guard let row = row(hash) else { continue }
                    let base = weights + row * stride
                    for head in 0..<heads { sums[head] += base[head] }
                }
                return
            }
            // One row is one vector: each lane adds in the same order as the loop above.
            var lanes = SIMD16<Float>(repeating: 0)
            for head in 0..<heads { lanes[head] = sums[head] }
            for hash in hashes {
                guard let row = row(hash) else { continue }
                lanes += UnsafeRawPointer(weights + row * 16).load(as: SIMD16<Float>.self)
            }
            for head in 0..<heads { sums[head] = lanes[head] }
        }
    }

    public struct Prediction: Sendable {
        /// Per sentiment label, summing to one.
        public var sentiment: [Double]
        /// Per category, each on its own.
        public var categories: [Double]
    }

    /// Probabilities from the sums of the utterance features (scaled by `1/√count`, as
    /// in training) and of the document features.
    func predict(utteranceSums: [Float], count: Int, documentSums: [Float]) -> Prediction {
        let scale = count > 0 ? 1 / Float(count).squareRoot() : 0
        var probabilities = (0..<heads).map { head in
            1 / (1 + exp(-Double(bias[head] + utteranceSums[head] * scale + documentSums[head])))
        }
        let sentimentCount = sentimentLabels.count
        let total = probabilities[0..<sentimentCount].reduce(0, +)
        for head in 0..<sentimentCount { probabilities[head] /= total }
        return Prediction(sentiment: Array(probabilities[0..<sentimentCount]), categories: Array(probabilities[sentimentCount...]))
    }

    /// The shipped model trained on the train split (`make model`).
    public static func bundledURL() -> URL? {
        Bundle.module.url(forResource: "model", withExtension: nil)?.appendingPathComponent("finance-linear.json")
    }
}
