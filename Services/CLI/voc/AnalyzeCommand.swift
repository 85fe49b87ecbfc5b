import Analyze
import ArgumentParser
import Foundation
import Logging
import VOCRuntime
import VOCSchema

/// `voc analyze`: the analyze stage offline. JSON lines in, one insight JSON line out
/// per input, so analysts can try rule changes on past data; `--eval` scores a labelled set.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse JSON lines from stdin (or a file) offline; print one insight per line, or score a labelled set.",
        discussion: """
            Input lines: {"id", "language"?, "channel", "businessLine"?, "customerId"?, "occurredAt"?,
            "utterances": [{"speaker", "text"}]}; transcript and interaction events are read too.
            Output lines: the voc.insight.produced.v1 payload plus "id" (= insightId) and "sourceId" (the input's id).
            Corpus frequencies and clusters start empty and grow line after line.
            """)

    @Option(help: "Rule file (default: $VOC_ANALYZE_RULES_PATH, then the bundled finance pack).")
    var rules: String?

    @Option(help: "Model file (default: $VOC_ANALYZE_MODEL_PATH, then the bundled model).")
    var model: String?

    @Flag(help: "Rules and lexicon alone: no learned model.")
    var rulesOnly = false

    @Option(help: "A folder with jieba's jieba.dict.utf8 and hmm_model.utf8 (default: the bundled one).")
    var dictionary: String?

    @Option(help: "The e5 weight file of the model's embedding head (default: $VOC_ANALYZE_EMBEDDING_PATH, then the bundled one).")
    var e5: String?

    @Option(help: "Read this file instead of stdin.")
    var input: String?

    @Option(help: "Score a labelled JSON-lines set (see docs/analysis.md): precision/recall/F1 per label, sentiment confusion, calibration.")
    var eval: String?

    @Flag(help: "With --eval: list every item analyze got wrong.")
    var mistakes = false

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let analyzer = try Analyzer.make(rulesURL: try Self.rulesURL(rules), modelURL: try modelURL(), dictionary: dictionary.map { URL(fileURLWithPath: $0, isDirectory: true) },
                                         embeddingURL: embeddingURL(), logger: Logger(label: "voc-analyze"))
        if let eval {
            try evaluate(analyzer, path: eval)
            return
        }
        let decoder = JSONCoding.decoder()
        var failures = 0
        var number = 0
        let output = FileHandle.standardOutput
        for line in try lines() {
            number += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            do {
                let input = try decoder.decode(AnalysisInput.self, from: Data(line.utf8))
                var line = InsightJSON.offlineLine(analyzer.analyzeAndLearn(input))
                line.append(0x0A)
                output.write(Data(line))
            } catch {
                failures += 1
                FileHandle.standardError.write(Data("line \(number): not analysed: \(error)\n".utf8))
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }

    func evaluate(_ analyzer: Analyzer, path: String) throws {
        let decoder = JSONCoding.decoder()
        let labels = analyzer.rules.current().pack.categories.map(\.id)
        let order = analyzer.model?.current().categories
        print("Model: \(analyzer.model.map { "\($0.current().version) (\($0.url.lastPathComponent))" } ?? "none, rules alone")")
        var evaluation = Evaluation()
        var number = 0
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") where !line.allSatisfy(\.isWhitespace) {
            number += 1
            let item: Evaluation.Item
            do { item = try decoder.decode(Evaluation.Item.self, from: Data(line.utf8)) } catch {
                throw ValidationError("\(path) item \(number): \(error)")
            }
            let analysis = analyzer.analyze(item.input)
            analyzer.learn(analysis.learning)
            let probabilities = analysis.sentimentProbabilities.flatMap { sentiment in
                analysis.categoryProbabilities.map { (sentiment: sentiment, categories: $0) }
            }
            evaluation.add(item, analysis.insight, categoryLabels: order ?? labels, probabilities: probabilities)
            if analyzer.model?.current().embedding != nil, let path = analysis.path { evaluation.paths[path.rawValue, default: 0] += 1 }
        }
        print(evaluation.report(showMistakes: mistakes))
    }

    func embeddingURL() -> URL? {
        if let e5 { return URL(fileURLWithPath: e5) }
        guard let path = ProcessInfo.processInfo.environment["VOC_ANALYZE_EMBEDDING_PATH"], !path.isEmpty else { return nil }
        return URL(fileURLWithPath: path)
    }

    func modelURL() throws -> URL? {
        if rulesOnly { return nil }
        if let model { return URL(fileURLWithPath: model) }
        if let path = ProcessInfo.processInfo.environment["VOC_ANALYZE_MODEL_PATH"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        guard let bundled = LinearModel.bundledURL() else { throw ValidationError("the bundled model is missing; pass --model or --rules-only") }
        return bundled
    }

    static func rulesURL(_ rules: String?) throws -> URL {
        if let rules { return URL(fileURLWithPath: rules) }
        if let path = ProcessInfo.processInfo.environment["VOC_ANALYZE_RULES_PATH"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        guard let bundled = CompiledRules.bundledURL() else { throw ValidationError("the bundled rule pack is missing; pass --rules") }
        return bundled
    }

    func lines() throws -> AnySequence<String> {
        if let input {
            return AnySequence(try String(contentsOfFile: input, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        }
        return AnySequence(AnyIterator { readLine(strippingNewline: true) })
    }
}
