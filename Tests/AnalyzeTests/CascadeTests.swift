import Foundation
import Logging
import Synchronization
import Testing

@testable import Analyze

/// The cascade of the bundled model: the linear model where it is sure, the e5 embedding
/// head elsewhere; and the linear model alone, said once in the log, when the e5 weight
/// file is not the one the head was trained on or does not load.
@Suite("Cascade")
struct CascadeTests {
    /// A copy of the bundled model with its embedding head edited by `change`.
    static func model(in folder: URL, _ change: (inout String) -> Void) throws -> URL {
        var text = try String(contentsOf: try #require(LinearModel.bundledURL()), encoding: .utf8)
        change(&text)
        let url = folder.appendingPathComponent("model.json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-cascade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func everyDocument(_ text: inout String) {
        text = text.replacing(#/"cascadeThreshold":[0-9.]+/#, with: #""cascadeThreshold":1.00"#)
    }

    @Test("the bundled model has an embedding head, and the bundled e5 file is the one it was trained on")
    func bundled() throws {
        let model = try LinearModel.load(try #require(LinearModel.bundledURL()))
        let head = try #require(model.embedding)
        let embedder = try SentenceEmbedder(url: try #require(SentenceEmbedder.bundledURL()))
        #expect(embedder.sha256 == head.weightsSHA256)
        #expect(head.cascadeThreshold > 0 && head.cascadeThreshold < 1)
        let vector = try #require(embedder.embed("退款一周了还没到"))
        #expect(vector.count == SentenceEmbedder.dimensions)
        #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-3)
    }

    @Test("a document the linear model is unsure of takes the slow path; a sure one does not")
    func paths() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let always = try Analyzer.make(rulesURL: Fixture.rulesURL, modelURL: Self.model(in: folder) { Self.everyDocument(&$0) }, logger: Logger(label: "test"))
        let input = Fixture.input([(.customer, "这难道不是乱收费吗")])
        #expect(always.analyze(input).path == LearnedPath.embedding)
        let never = try Analyzer.make(rulesURL: Fixture.rulesURL, modelURL: Self.model(in: try Self.folder()) { text in
            text = text.replacing(#/"cascadeThreshold":[0-9.]+/#, with: #""cascadeThreshold":0.00"#)
        }, logger: Logger(label: "test"))
        #expect(never.analyze(input).path == LearnedPath.linear)
    }

    @Test("the slow path answers with the weighted mean of the two models' probabilities; weight 1 is the head alone")
    func blend() throws {
        let embedder = try SentenceEmbedder(url: try #require(SentenceEmbedder.bundledURL()))
        let input = Fixture.input([(.customer, "年费说好免的怎么又扣了")])
        for weight in ["0.50", "1.00"] {
            let folder = try Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let url = try Self.model(in: folder) { text in
                Self.everyDocument(&text)
                text = text.replacing(#/"weight":[0-9.]+/#, with: "\"weight\":\(weight)")
            }
            let model = try LinearModel.load(url)
            let head = try #require(model.embedding)
            let result = try Analyzer.make(rulesURL: Fixture.rulesURL, modelURL: url, logger: Logger(label: "test")).analyze(input)
            let features = try #require(result.features)
            let linear = model.score(features).sentimentProbabilities
            let alone = head.predict(try #require(embedder.embed(features.text))).sentiment
            let share = Double(weight)!
            #expect(head.weight == share)
            #expect(result.path == LearnedPath.embedding)
            for (found, (fast, slow)) in zip(try #require(result.sentimentProbabilities), zip(linear, alone)) {
                #expect(abs(found - ((1 - share) * fast + share * slow)) < 1e-9)
            }
        }
    }

    @Test("an e5 weight file that is not the model's keeps analyze on the linear model, with one log line")
    func otherWeights() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try Self.model(in: folder) { text in
            Self.everyDocument(&text)
            text = text.replacing(#/"weightsSHA256":"[0-9a-f]+"/#, with: #""weightsSHA256":"\#(String(repeating: "0", count: 64))""#)
        }
        let log = LogLines()
        let analyzer = try Analyzer.make(rulesURL: Fixture.rulesURL, modelURL: url, logger: Logger(label: "test") { _ in log })
        let linearOnly = try LinearModel.load(url)
        let input = Fixture.input([(.customer, "转账又被退回来了")])
        let first = analyzer.analyze(input)
        _ = analyzer.analyze(input)
        #expect(first.path == LearnedPath.linearFallback)
        #expect(first.sentimentProbabilities == linearOnly.score(try #require(first.features)).sentimentProbabilities)
        let lines = log.lines.withLock { $0 }
        #expect(lines.filter { $0.contains("not the one the model's embedding head was trained on") }.count == 1)
        #expect(lines.contains { $0.contains(String(repeating: "0", count: 64)) })
    }

    @Test("a missing e5 weight file keeps analyze on the linear model, with one log line")
    func missingWeights() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = LogLines()
        let analyzer = try Analyzer.make(rulesURL: Fixture.rulesURL, modelURL: Self.model(in: folder) { Self.everyDocument(&$0) },
                                         embeddingURL: folder.appendingPathComponent("missing.bin"), logger: Logger(label: "test") { _ in log })
        let input = Fixture.input([(.customer, "how is this acceptable")])
        #expect(analyzer.analyze(input).path == LearnedPath.linearFallback)
        #expect(analyzer.analyze(input).path == LearnedPath.linearFallback)
        #expect(log.lines.withLock { $0 }.filter { $0.contains("e5 weight file does not load") && $0.contains("missing.bin") }.count == 1)
    }
}

/// Keeps every log line (message and metadata) for the assertions.
final class LogLines: LogHandler, @unchecked Sendable {
    let lines = Mutex<[String]>([])
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let text = "\(event.level) \(event.message) " + (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " ")
        lines.withLock { $0.append(text) }
    }
}
