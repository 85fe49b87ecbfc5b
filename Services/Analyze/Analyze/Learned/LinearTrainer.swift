import CLinear
import Foundation

/// A LIBLINEAR model handle, freed with the object.
final class LinearHandle {
    private var pointer: UnsafeMutablePointer<model>?

    init(_ pointer: UnsafeMutablePointer<model>) {
        self.pointer = pointer
    }

    deinit { free_and_destroy_model(&pointer) }

    /// The index LIBLINEAR gave the label +1.
    var positiveIndex: Int32 {
        guard let pointer else { return 0 }
        var labels = [Int32](repeating: 0, count: Int(get_nr_class(pointer)))
        get_labels(pointer, &labels)
        return Int32(labels.firstIndex(of: 1) ?? 0)
    }

    /// Weight of feature `index` (1-based) toward +1.
    func coefficient(_ index: Int32) -> Double { get_decfun_coef(pointer, index, positiveIndex) }
    var bias: Double { get_decfun_bias(pointer, positiveIndex) }

    /// LIBLINEAR's own probability of +1 for `nodes` (ending with index -1).
    func probability(_ nodes: [feature_node]) -> Double {
        var estimates = [Double](repeating: 0, count: 2)
        _ = nodes.withUnsafeBufferPointer { predict_probability(pointer, $0.baseAddress, &estimates) }
        return estimates[Int(positiveIndex)]
    }
}

/// One labelled interaction as the trainer reads it.
public struct TrainingExample: Sendable {
    public var features: [UInt64: Double]
    public var sentiment: String?
    public var categories: [String]
    public var language: String
    /// The e5 embedding of its customer text, when the trainer has the engine.
    public var embedding: [Float]?

    public init(features: [UInt64: Double], sentiment: String?, categories: [String], language: String, embedding: [Float]? = nil) {
        self.features = features
        self.embedding = embedding
        self.sentiment = sentiment
        self.categories = categories
        self.language = language
    }
}

/// L2-regularised logistic regression (LIBLINEAR's primal solver, deterministic), one
/// binary head per sentiment label and per category, over the features seen in at least
/// two training items.
struct LinearProblem {
    let vocabulary: [UInt64]
    let index: [UInt64: Int32]
    /// Per example, its nodes in index order with the bias node and the terminator.
    let nodes: [[feature_node]]

    init(_ examples: [TrainingExample], minimumCount: Int = 2) {
        var seen: [UInt64: Int] = [:]
        for example in examples {
            for hash in example.features.keys { seen[hash, default: 0] += 1 }
        }
        vocabulary = seen.filter { $0.value >= minimumCount }.map(\.key).sorted()
        index = Dictionary(uniqueKeysWithValues: vocabulary.enumerated().map { ($1, Int32($0 + 1)) })
        let biasIndex = Int32(vocabulary.count + 1)
        let index = self.index
        nodes = examples.map { example in
            Self.nodes(example.features, index: index, biasIndex: biasIndex)
        }
    }

    static func nodes(_ features: [UInt64: Double], index: [UInt64: Int32], biasIndex: Int32) -> [feature_node] {
        var nodes = features.compactMap { hash, value in index[hash].map { feature_node(index: $0, value: value) } }
        nodes.sort { $0.index < $1.index }
        nodes.append(feature_node(index: biasIndex, value: 1))
        nodes.append(feature_node(index: -1, value: 0))
        return nodes
    }

    /// Trains one head on the examples `labels` marks (+1, -1; nil: not part of this head).
    func train(_ labels: [Double?], cost: Double) throws(AnalyzeError) -> LinearHandle {
        let chosen = labels.indices.filter { labels[$0] != nil }
        var y = chosen.map { labels[$0]! }
        guard Set(y).count == 2 else { throw AnalyzeError(.training, "a head needs positive and negative examples") }
        let copies = chosen.map { nodes[$0] }
        let pointers = copies.map { row -> UnsafeMutablePointer<feature_node> in
            let buffer = UnsafeMutablePointer<feature_node>.allocate(capacity: row.count)
            buffer.initialize(from: row, count: row.count)
            return buffer
        }
        defer { pointers.forEach { $0.deallocate() } }
        var x: [UnsafeMutablePointer<feature_node>?] = pointers
        var parameter = CLinear.parameter(solver_type: Int32(L2R_LR), eps: 0.01, C: cost, nr_weight: 0, weight_label: nil,
                                          weight: nil, p: 0.1, init_sol: nil)
        let result: UnsafeMutablePointer<model>? = y.withUnsafeMutableBufferPointer { yBuffer in
            x.withUnsafeMutableBufferPointer { xBuffer in
                var problem = CLinear.problem(l: Int32(chosen.count), n: Int32(vocabulary.count + 1), y: yBuffer.baseAddress,
                                              x: xBuffer.baseAddress, bias: 1)
                if let message = check_parameter(&problem, &parameter) {
                    FileHandle.standardError.write(Data("liblinear: \(String(cString: message))\n".utf8))
                    return nil
                }
                return CLinear.train(&problem, &parameter)
            }
        }
        guard let result else { throw AnalyzeError(.training, "LIBLINEAR refused the problem") }
        return LinearHandle(result)
    }
}

/// Silences LIBLINEAR's progress output.
private let quiet: @convention(c) (UnsafePointer<CChar>?) -> Void = { _ in }

enum Liblinear {
    static func prepare(seed: UInt32) {
        set_print_string_function(quiet)
        // Only LIBLINEAR's dual solvers draw random numbers; seeding keeps any solver repeatable.
        srand(seed)
    }
}
